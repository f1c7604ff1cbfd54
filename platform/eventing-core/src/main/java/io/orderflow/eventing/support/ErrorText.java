package io.orderflow.eventing.support;

/**
 * An error text fit to be stored and published: a provider's answer or an exception's message may hold anything,
 * and PostgreSQL refuses a NUL in a text, which would fail the very transaction that records the error. Every
 * service that keeps an error for its operators (refunds, payment deadlines) keeps it through this.
 */
public final class ErrorText {

    public static final int MAX_LENGTH = 1000;

    private ErrorText() {}

    /** The text with every NUL made visible as {@code \0}, cut to {@link #MAX_LENGTH} characters. */
    public static String of(String text) {
        if (text == null) {
            return "no detail";
        }
        String clean = text.replace("\u0000", "\\0");
        if (clean.length() <= MAX_LENGTH) {
            return clean;
        }
        int end = MAX_LENGTH;
        if (Character.isHighSurrogate(clean.charAt(end - 1))) {
            end--;
        }
        return clean.substring(0, end) + "…";
    }
}
