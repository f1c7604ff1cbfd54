package io.orderflow.cli;

import java.io.PrintStream;

/** What the launcher prints for people: plain lines, flushed at once. */
final class Console {

    private static final boolean COLOUR = System.console() != null && System.getenv("NO_COLOR") == null;

    private Console() {}

    static void line(String text) {
        // System.out as it is now, not as it was when this class was loaded: a test may have set its own.
        PrintStream out = System.out;
        out.println(text);
        out.flush();
    }

    static void heading(String text) {
        line("");
        line(bold(text));
    }

    static String bold(String text) {
        return COLOUR ? "\u001b[1m" + text + "\u001b[0m" : text;
    }

    static String green(String text) {
        return COLOUR ? "\u001b[32m" + text + "\u001b[0m" : text;
    }

    static String red(String text) {
        return COLOUR ? "\u001b[31m" + text + "\u001b[0m" : text;
    }
}
