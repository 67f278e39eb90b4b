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
        double[] bits = new double[1];
        int parts = parts(value, maxBits, bits);
        if (parts < 0) {
            return null;
        }
        return String.format(Locale.ROOT, "an identifier: %d parts of words, numbers and hex (%d bits of random material)",
                parts, Math.round(bits[0]));
    }

    /**
     * Whether {@link #reason} would give a reason, without formatting it: the generic rule asks this for
     * every identifier-like assignment of a scan (hundreds of thousands in an agent's logs).
     */
    static boolean isIdentifier(String value, int maxBits) {
        return parts(value, maxBits, null) >= 0;
    }

    /**
     * The number of parts of an identifier, its random material in {@code bitsOut[0]} (when given), or -1
     * when {@code value} is not one. Reads the parts in place: this runs for every candidate assignment.
     */
    private static int parts(String value, int maxBits, double[] bitsOut) {
        int parts = 0;
        int words = 0;
        double bits = 0;
        int start = 0;
        int n = value.length();
        for (int i = 0; i <= n; i++) {
            char c = i < n ? value.charAt(i) : ':';
            if (c < 128 && Ascii.isLetterOrDigit(c)) {
                continue;
            }
            if (c != ':' && c != '-' && c != '_' && c != '.' && c != '/' && c != '@') {
                return -1;
            }
            if (i > start) {
                parts++;
                if (isWord(value, start, i)) {
                    words++;
                } else if (isNumber(value, start, i)) {
                    bits += (i - start) * 3.32;
                } else if (isHex(value, start, i)) {
                    bits += (i - start) * 4;
                } else if (isWordWithNumber(value, start, i)) {
                    words++;
                    bits += trailingDigits(value, start, i) * 3.32;
                } else {
                    return -1;
                }
            }
            start = i + 1;
        }
        // One part alone is an identifier only as a word, or a word with a short number (Rotation2024).
        if (words == 0 || (parts < 2 && bits == 0 && !isWord(value)) || bits > maxBits) {
            return -1;
        }
        if (bitsOut != null) {
            bitsOut[0] = bits;
        }
        return parts;
    }

    /**
     * Letters that read as a word: one case, Capitalized, or camelCase humps of 3+, each hump reading as a
     * word: one case after its first letter; up to 8 letters, a vowel and no run of five consonants; longer,
     * a vowel in three, no run of four consonants ({@code y} counts as a vowel) and three pairs in four among
     * English's most common: random letters rarely pass all three ({@code
     * euwkekqnxfntjbhozqe}), dictionary compounds do ({@code secretsmanager}, {@code idempotency}).
     */
    static boolean isWord(String p) {
        return isWord(p, 0, p.length());
    }

    /** {@link #isWord(String)} of {@code p[from, to)}, read in place. */
    private static boolean isWord(String p, int from, int to) {
        int hump = from;
        for (int i = from; i <= to; i++) {
            boolean end = i == to;
            if (!end && !Ascii.isLetter(p.charAt(i))) {
                return false;
            }
            boolean starts = !end && i > from && Ascii.isUpperCase(p.charAt(i)) && Ascii.isLowerCase(p.charAt(i - 1));
            if (end || starts) {
                if ((starts || hump > from) && i - hump < 3) {
                    return false; // camelCase humps are words, not one or two letters
                }
                boolean camel = starts || hump > from;
                if (!readsAsWord(p, hump, i) || (camel && !hasVowelOrIsUpper(p, hump, i))) {
                    return false;
                }
                hump = i;
            }
        }
        return to > from;
    }

    /** A camelCase hump of any length has a vowel, or is an acronym in capitals ({@code HTTP}). */
    private static boolean hasVowelOrIsUpper(String p, int from, int to) {
        boolean upper = true;
        for (int i = from; i < to; i++) {
            if (isVowel(p.charAt(i))) {
                return true;
            }
            upper &= Ascii.isUpperCase(p.charAt(i));
        }
        return upper;
    }

    private static boolean readsAsWord(String p, int from, int to) {
        int n = to - from;
        for (int i = from + 2; i < to; i++) {
            // after its first letter a hump keeps one case: Word, word, WORD; never wOrD or WOrd
            if (Ascii.isUpperCase(p.charAt(i)) != Ascii.isUpperCase(p.charAt(from + 1))) {
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
            if (isVowel(p.charAt(i))) {
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

    /** Whether the pair of ASCII characters {@code a * 128 + b} is common by {@link #isCommonBigram}. */
    private static final boolean[] COMMON_ASCII_PAIRS = new boolean[128 * 128];

    static {
        for (char a = 0; a < 128; a++) {
            for (char b = 0; b < 128; b++) {
                COMMON_ASCII_PAIRS[a * 128 + b] = isCommonBigram(String.valueOf(new char[] {a, b}));
            }
        }
    }

    /** The definition: a pair, lower-cased, is one of {@link #COMMON_BIGRAMS} (at a pair's place in it). */
    private static boolean isCommonBigram(String pair) {
        String lower = pair.toLowerCase(Locale.ROOT);
        return COMMON_BIGRAMS.contains(lower) && COMMON_BIGRAMS.indexOf(lower) % 3 == 0;
    }

    private static int commonBigrams(String p, int from, int to) {
        int common = 0;
        for (int i = from; i + 1 < to; i++) {
            char a = p.charAt(i);
            char b = p.charAt(i + 1);
            // ASCII pairs from the table built by the definition; any other pair by the definition itself
            boolean isCommon = a < 128 && b < 128 ? COMMON_ASCII_PAIRS[a * 128 + b] : isCommonBigram(p.substring(i, i + 2));
            if (isCommon) {
                common++;
            }
        }
        return common;
    }

    /** One of {@code aeiouy}, either case ({@code y} counts as a vowel). */
    private static boolean isVowel(char c) {
        switch (c) {
            case 'a': case 'e': case 'i': case 'o': case 'u': case 'y':
            case 'A': case 'E': case 'I': case 'O': case 'U': case 'Y':
                return true;
            default:
                return false;
        }
    }

    private static boolean isNumber(String p, int from, int to) {
        for (int i = from; i < to; i++) {
            if (p.charAt(i) < '0' || p.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** Hex digits of one case (a digest or an id prints them so; random base62 mixes cases). */
    private static boolean isHex(String p, int from, int to) {
        boolean upper = false;
        boolean lower = false;
        for (int i = from; i < to; i++) {
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
    private static boolean isWordWithNumber(String p, int from, int to) {
        int d = trailingDigits(p, from, to);
        return d > 0 && d <= 6 && d < to - from && isWord(p, from, to - d);
    }

    private static int trailingDigits(String p, int from, int to) {
        int d = 0;
        while (d < to - from && Character.isDigit(p.charAt(to - 1 - d))) {
            d++;
        }
        return d;
    }
}
