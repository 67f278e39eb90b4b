package dev.mayfly.scanner;

/** Strict UTF-8 sequence decoding for decoders that must map every character back to its bytes. */
final class Utf8 {
    private Utf8() {
    }

    /** Length of the valid sequence starting at {@code at}, or 0 when invalid or cut off at {@code end}. */
    static int sequenceLength(byte[] b, int at, int end) {
        int b0 = b[at] & 0xFF;
        int len;
        int min;
        if (b0 < 0x80) {
            return 1;
        } else if (b0 >= 0xC2 && b0 <= 0xDF) {
            len = 2;
            min = 0x80;
        } else if (b0 >= 0xE0 && b0 <= 0xEF) {
            len = 3;
            min = 0x800;
        } else if (b0 >= 0xF0 && b0 <= 0xF4) {
            len = 4;
            min = 0x10000;
        } else {
            return 0;
        }
        if (at + len > end) {
            return 0;
        }
        for (int k = 1; k < len; k++) {
            if ((b[at + k] & 0xC0) != 0x80) {
                return 0;
            }
        }
        int cp = decode(b, at, len);
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
            return 0;
        }
        return len;
    }

    static int decode(byte[] b, int at, int len) {
        int b0 = b[at] & 0xFF;
        if (len == 1) {
            return b0;
        }
        int cp = b0 & (0xFF >> (len + 1));
        for (int k = 1; k < len; k++) {
            cp = (cp << 6) | (b[at + k] & 0x3F);
        }
        return cp;
    }
}
