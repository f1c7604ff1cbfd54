package io.orderflow.security;

import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A concrete path a pattern matches, to ask the rules about: {@code /orders/{id}} -> {@code /orders/1}. A variable
 * with a regular expression gets the first sample that fits it; wildcards become one segment.
 */
public final class SamplePaths {

    private static final List<String> SAMPLES =
            List.of("1", "sample", "00000000-0000-0000-0000-000000000001", "a", "A", "sample.txt");

    private SamplePaths() {}

    public static String of(String pattern) {
        if (pattern.isEmpty()) {
            return "/";
        }
        StringBuilder path = new StringBuilder();
        int i = 0;
        while (i < pattern.length()) {
            char c = pattern.charAt(i);
            if (c == '{') {
                int end = closingBrace(pattern, i);
                path.append(sampleFor(pattern.substring(i + 1, end)));
                i = end + 1;
            } else if (c == '*') {
                path.append("sample");
                while (i < pattern.length() && pattern.charAt(i) == '*') {
                    i++;
                }
            } else if (c == '?') {
                path.append('x');
                i++;
            } else {
                path.append(c);
                i++;
            }
        }
        return path.toString();
    }

    private static int closingBrace(String pattern, int open) {
        int depth = 0;
        for (int i = open; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return i;
            }
        }
        throw new IllegalArgumentException("the pattern " + pattern + " has an unclosed {");
    }

    /** For {@code name}, {@code name:regex} or {@code *name} (the rest of the path). */
    private static String sampleFor(String variable) {
        int colon = variable.indexOf(':');
        if (variable.startsWith("*") || colon < 0) {
            return "sample";
        }
        Pattern regex;
        try {
            regex = Pattern.compile(variable.substring(colon + 1));
        } catch (PatternSyntaxException e) {
            return "sample";
        }
        return SAMPLES.stream()
                .filter(sample -> regex.matcher(sample).matches())
                .findFirst()
                .orElse("sample");
    }
}
