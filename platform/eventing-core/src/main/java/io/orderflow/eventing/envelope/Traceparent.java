package io.orderflow.eventing.envelope;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** A W3C trace context {@code traceparent} value: version 00, trace id, parent span id and flags. */
public record Traceparent(String traceId, String spanId, String flags) {

    private static final Pattern FORMAT = Pattern.compile("00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HexFormat HEX = HexFormat.of();

    public static Traceparent newTrace() {
        return new Traceparent(randomHex(16), randomHex(8), "01");
    }

    /** The same trace, one hop further: a new span id. */
    public Traceparent child() {
        return new Traceparent(traceId, randomHex(8), flags);
    }

    public static Traceparent parse(String value) {
        var matcher = FORMAT.matcher(value.trim());
        if (!matcher.matches() || allZero(matcher.group(1)) || allZero(matcher.group(2))) {
            throw new IllegalArgumentException("not a W3C traceparent: '" + value + "'");
        }
        return new Traceparent(matcher.group(1), matcher.group(2), matcher.group(3));
    }

    @Override
    public String toString() {
        return "00-" + traceId + "-" + spanId + "-" + flags;
    }

    private static boolean allZero(String hex) {
        return hex.chars().allMatch(c -> c == '0');
    }

    private static String randomHex(int bytes) {
        byte[] buffer = new byte[bytes];
        RANDOM.nextBytes(buffer);
        return HEX.formatHex(buffer);
    }
}
