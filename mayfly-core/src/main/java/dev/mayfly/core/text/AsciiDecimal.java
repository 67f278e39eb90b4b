package dev.mayfly.core.text;

/**
 * Whole numbers as the wire writes them: ASCII digits {@code 0-9} only, nothing else. {@link Long#parseLong}
 * also takes a leading {@code +} and any Unicode decimal digit ({@code ٣}, {@code ６}), so two spellings of one
 * number would reach the broker, its audit trail and the caches keyed on them; this parser has one spelling.
 */
public final class AsciiDecimal {
    /** 18 digits always fit in a long; longer numbers are refused rather than checked for overflow. */
    private static final int MAX_DIGITS = 18;

    private AsciiDecimal() {
    }

    /**
     * Parses {@code 0}..{@code 999999999999999999}.
     *
     * @throws NumberFormatException for null, empty, a sign, whitespace, a non-ASCII digit or more than 18 digits
     */
    public static long parse(String text) {
        if (text == null || text.isEmpty() || text.length() > MAX_DIGITS) {
            throw new NumberFormatException("not a whole number of ASCII digits");
        }
        long value = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw new NumberFormatException("not a whole number of ASCII digits");
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
