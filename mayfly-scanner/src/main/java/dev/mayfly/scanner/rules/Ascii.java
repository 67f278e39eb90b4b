package dev.mayfly.scanner.rules;

/**
 * {@link Character}'s letter and case tests with the ASCII answer computed inline and every other character
 * passed to {@link Character}: the same result for every {@code char}. The value checks call them per
 * character of every candidate, and the launcher runs {@code scan} on C1, which does not fold
 * {@code Character}'s table lookups into a range test.
 */
final class Ascii {
    private Ascii() {
    }

    static boolean isLetter(char c) {
        if (c < 128) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        }
        return Character.isLetter(c);
    }

    static boolean isLetterOrDigit(char c) {
        if (c < 128) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        }
        return Character.isLetterOrDigit(c);
    }

    static boolean isUpperCase(char c) {
        if (c < 128) {
            return c >= 'A' && c <= 'Z';
        }
        return Character.isUpperCase(c);
    }

    static boolean isLowerCase(char c) {
        if (c < 128) {
            return c >= 'a' && c <= 'z';
        }
        return Character.isLowerCase(c);
    }
}
