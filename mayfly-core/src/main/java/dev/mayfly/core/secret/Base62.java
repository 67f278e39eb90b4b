package dev.mayfly.core.secret;

/** Base62 over the alphabet {@code 0-9A-Za-z}, the alphabet of Mayfly's opaque secrets (DESIGN §3.3). */
final class Base62 {
    static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private Base62() {
    }

    static boolean isBase62(char c) {
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }

    /** Encodes a non-negative value, left-padded with {@code 0} to {@code width} characters. */
    static String encode(long value, int width) {
        if (value < 0) {
            throw new IllegalArgumentException("negative value");
        }
        char[] out = new char[width];
        long v = value;
        for (int i = width - 1; i >= 0; i--) {
            out[i] = ALPHABET.charAt((int) (v % 62));
            v /= 62;
        }
        if (v != 0) {
            throw new IllegalArgumentException("value does not fit in " + width + " base62 digits");
        }
        return new String(out);
    }
}
