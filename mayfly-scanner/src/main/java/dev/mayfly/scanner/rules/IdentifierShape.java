package dev.mayfly.scanner.rules;

import java.util.Locale;

/**
 * Tells identifiers from secrets by how a value is built, the idea behind the token-efficiency filters of
 * kingfisher and betterleaks (a secret costs a tokenizer many tokens per character, an identifier few)
 * without a tokenizer's vocabulary: the value is cut at {@code : - _ . / @} into parts, and it is an
 * identifier when every part is a word (lower, upper, Capitalized or camelCase, with vowels and consonant
 * runs as words have),
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

    /**
     * Letters that read as a word: one case, Capitalized, or camelCase humps of 3+, each hump reading as a
     * word: one case after its first letter; up to 8 letters, a vowel and no run of five consonants; longer,
     * a vowel in three, no run of four consonants ({@code y} counts as a vowel) and three pairs in four among
     * English's most common: random letters rarely pass all three ({@code
     * euwkekqnxfntjbhozqe}), dictionary compounds do ({@code secretsmanager}, {@code idempotency}).
     */
    static boolean isWord(String p) {
        int from = 0;
        for (int i = 0; i <= p.length(); i++) {
            boolean end = i == p.length();
            if (!end && !Character.isLetter(p.charAt(i))) {
                return false;
            }
            boolean hump = !end && i > 0 && Character.isUpperCase(p.charAt(i)) && Character.isLowerCase(p.charAt(i - 1));
            if (end || hump) {
                if ((hump || from > 0) && i - from < 3) {
                    return false; // camelCase humps are words, not one or two letters
                }
                boolean camel = hump || from > 0;
                if (!readsAsWord(p, from, i) || (camel && !hasVowelOrIsUpper(p, from, i))) {
                    return false;
                }
                from = i;
            }
        }
        return p.length() > 0;
    }

    /** A camelCase hump of any length has a vowel, or is an acronym in capitals ({@code HTTP}). */
    private static boolean hasVowelOrIsUpper(String p, int from, int to) {
        boolean upper = true;
        for (int i = from; i < to; i++) {
            if ("aeiouyAEIOUY".indexOf(p.charAt(i)) >= 0) {
                return true;
            }
            upper &= Character.isUpperCase(p.charAt(i));
        }
        return upper;
    }

    private static boolean readsAsWord(String p, int from, int to) {
        int n = to - from;
        for (int i = from + 2; i < to; i++) {
            // after its first letter a hump keeps one case: Word, word, WORD; never wOrD or WOrd
            if (Character.isUpperCase(p.charAt(i)) != Character.isUpperCase(p.charAt(from + 1))) {
                return false;
            }
        }
        if (n <= 3) {
            return true;
        }
        int vowels = 0;
        int consonants = 0;
        int longestConsonants = 0;
        for (int i = from; i < to; i++) {
            if ("aeiouyAEIOUY".indexOf(p.charAt(i)) >= 0) {
                vowels++;
                consonants = 0;
            } else {
                longestConsonants = Math.max(longestConsonants, ++consonants);
            }
        }
        if (n <= 8) {
            return vowels > 0 && longestConsonants <= 4;
        }
        return vowels * 10 >= 3 * n && longestConsonants <= 3 && commonBigrams(p, from, to) * 4 >= (n - 1) * 3;
    }

    /**
     * The most frequent letter pairs of English text (Norvig's counts over the Google books corpus, about
     * the first 216): three in four pairs of a long word are among them, one in five of random letters.
     */
    private static final String COMMON_BIGRAMS = "th he in er an re on at en nd ti es or te of ed is it al ar st to nt ng se ha "
            + "as ou io le ve co me de hi ri ro ic ne ea ra ce li ch ll be ma si om ur ca el ta la ns di fo ho pe ec pr no ct us "
            + "ac ot il tr ly nc et ut ss so rs un lo wa ge ie wh ee wi em ad ol rt po we na ul ni ts mo ow pa im mi ai sh ir su "
            + "id os iv ia am fi ci vi pl ig tu ev ld ry mp fe bl ab gh ty op wo sa ay ex ke fr oo av ag if ap gr od bo sp rd do "
            + "uc bu ei ov by rm ep tt oc fa ef cu rn sc gi da yo cr cl du ga qu ue ff ba ey ls va um pp ua up lu go ht ru ug ds "
            + "lt pi rc rr eg au ck ew mu br bi pt ak pu ui rg ib tl ny ki rk ys ob mm fu ph og ms ye ud mb ip ub oi rl gu dr cy";

    private static int commonBigrams(String p, int from, int to) {
        int common = 0;
        for (int i = from; i + 1 < to; i++) {
            String pair = p.substring(i, i + 2).toLowerCase(Locale.ROOT);
            if (COMMON_BIGRAMS.contains(pair) && COMMON_BIGRAMS.indexOf(pair) % 3 == 0) {
                common++;
            }
        }
        return common;
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
