package dev.mayfly.scanner.rules;

import java.util.Locale;

/**
 * Tells identifiers from secrets by how a value is built, the idea behind the token-efficiency filters of
 * kingfisher and betterleaks (a secret costs a tokenizer many tokens per character, an identifier few)
 * without a tokenizer's vocabulary: the value is cut at {@code : - _ . / @} into parts, and it is an
 * identifier when every part is a word (lower, upper, Capitalized or camelCase, with vowels as words have),
 * a number or a hex run, and the random material it carries (4 bits per hex digit, 3.3 per decimal
 * digit, none per word) is small: {@code cache:2204875a296b}, {@code req_7f3a9b2c41d0}, {@code
 * projects/acme/secrets/db}, {@code arn:aws:iam::123456789012:role/deploy}. A part of mixed-case letters
 * and digits (base62), or any other symbol, makes it a secret candidate again. Stateless.
 */
final class IdentifierShape {
    private IdentifierShape() {
    }

    /**
     * The reason {@code value} is an identifier, or {@code null}. {@code maxBits} bounds the random material
     * an identifier may carry (a value with more is judged by the caller's other checks); use
     * {@link Integer#MAX_VALUE} where any amount is allowed.
     */
    static String reason(String value, int maxBits) {
        int parts = 0;
        int words = 0;
        double bits = 0;
        int start = 0;
        int n = value.length();
        for (int i = 0; i <= n; i++) {
            char c = i < n ? value.charAt(i) : ':';
            if (Character.isLetterOrDigit(c) && c < 128) {
                continue;
            }
            if (c != ':' && c != '-' && c != '_' && c != '.' && c != '/' && c != '@') {
                return null;
            }
            if (i > start) {
                parts++;
                String part = value.substring(start, i);
                if (isWord(part)) {
                    words++;
                } else if (isNumber(part)) {
                    bits += part.length() * 3.32;
                } else if (isHex(part)) {
                    bits += part.length() * 4;
                } else if (isWordWithNumber(part)) {
                    words++;
                    bits += trailingDigits(part) * 3.32;
                } else {
                    return null;
                }
            }
            start = i + 1;
        }
        // One part alone is an identifier only as a word, or a word with a short number (Rotation2024).
        if (words == 0 || (parts < 2 && bits == 0 && !isWord(value)) || bits > maxBits) {
            return null;
        }
        return String.format(Locale.ROOT, "an identifier: %d parts of words, numbers and hex (%d bits of random material)",
                parts, Math.round(bits));
    }

    /** Letters that read as a word: one case, Capitalized, or camelCase humps of 3+; vowels as in words. */
    static boolean isWord(String p) {
        int vowels = 0;
        int hump = 0;
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            if (!Character.isLetter(c)) {
                return false;
            }
            if (Character.isUpperCase(c) && i > 0 && Character.isLowerCase(p.charAt(i - 1))) {
                if (hump < 3) {
                    return false;
                }
                hump = 0;
            }
            hump++;
            if ("aeiouyAEIOUY".indexOf(c) >= 0) {
                vowels++;
            }
        }
        return (p.length() <= 3 || vowels * 4 >= p.length());
    }

    private static boolean isNumber(String p) {
        for (int i = 0; i < p.length(); i++) {
            if (p.charAt(i) < '0' || p.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** Hex digits of one case (a digest or an id prints them so; random base62 mixes cases). */
    private static boolean isHex(String p) {
        boolean upper = false;
        boolean lower = false;
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            if (Character.digit(c, 16) < 0) {
                return false;
            }
            upper |= c >= 'A' && c <= 'F';
            lower |= c >= 'a' && c <= 'f';
        }
        return !(upper && lower);
    }

    /** A word followed by a short number: {@code v2}, {@code node17}, {@code us1}. */
    private static boolean isWordWithNumber(String p) {
        int d = trailingDigits(p);
        return d > 0 && d <= 6 && d < p.length() && isWord(p.substring(0, p.length() - d));
    }

    private static int trailingDigits(String p) {
        int d = 0;
        while (d < p.length() && Character.isDigit(p.charAt(p.length() - 1 - d))) {
            d++;
        }
        return d;
    }
}
