package dev.mayfly.scanner;

/**
 * Undoes URL percent-encoding (RFC 3986 §2.1) across a whole view. Consecutive {@code %XX} bytes are read
 * as UTF-8; a sequence that is not valid UTF-8 is copied as it is. {@code +} is left alone (it is a
 * space only in form bodies, and a common base64 character).
 */
final class PercentDecoder {
    private PercentDecoder() {
    }

    /** The decoded view, or {@code null} when the view has no percent escape. */
    static View decode(View v, Scratch scratch) {
        return decode(v, scratch, JsonStringDecoder.positionsOf(v.text, v.length, '%', new IntList()));
    }

    /**
     * As {@link #decode(View, Scratch)}, given the position of every {@code %} in the view, in order (the
     * prefilter's hits say where they are): the text between two of them is copied in bulk, unread.
     */
    static View decode(View v, Scratch scratch, IntList percents) {
        char[] in = v.text;
        int n = v.length;
        int[] at = percents.array();
        int count = percents.size();
        int p = 0;
        while (p < count && !escapeAt(in, at[p], n)) {
            p++;
        }
        if (p == count) {
            return null;
        }
        char[] out = scratch.chars(v.depth + 1, n);
        IntList changed = new IntList();
        IntList from = new IntList();
        IntList after = new IntList();
        int o = 0;
        int i = 0;
        byte[] bytes = new byte[16];
        int[] escapes = new int[16];
        for (; p < count; p++) {
            int pct = at[p];
            if (pct < i) {
                continue; // part of the run of escapes decoded last
            }
            System.arraycopy(in, i, out, o, pct - i);
            o += pct - i;
            i = pct;
            if (!escapeAt(in, i, n)) {
                out[o++] = '%';
                i++;
                continue;
            }
            // gather a run of escapes (bounded) and decode it as UTF-8
            int count16 = 0;
            int j = i;
            while (count16 < bytes.length && escapeAt(in, j, n)) {
                bytes[count16] = (byte) ((Character.digit(in[j + 1], 16) << 4) | Character.digit(in[j + 2], 16));
                escapes[count16] = j;
                count16++;
                j += 3;
            }
            int b = 0;
            while (b < count16) {
                int len = Utf8.sequenceLength(bytes, b, count16);
                if (len <= 0) {
                    // not UTF-8: keep the escape as text
                    for (int k = 0; k < 3; k++) {
                        out[o++] = in[escapes[b] + k];
                    }
                    b++;
                    continue;
                }
                int cp = Utf8.decode(bytes, b, len);
                char[] chars = Character.toChars(cp);
                for (int k = 0; k < chars.length; k++) {
                    changed.add(o);
                    from.add(escapes[b]);
                    // the next character comes from the next escape (a surrogate pair's second half from the same)
                    after.add(k + 1 < chars.length ? escapes[b] : escapes[b + len - 1] + 3);
                    out[o++] = chars[k];
                }
                b += len;
            }
            i = j;
        }
        System.arraycopy(in, i, out, o, n - i);
        o += n - i;
        return View.contiguous(v, Decoding.PERCENT, out, o, changed.toArray(), from.toArray(), after.toArray());
    }

    /** True when a percent escape, {@code %} and two hex digits, starts at {@code i}. */
    private static boolean escapeAt(char[] in, int i, int n) {
        return i + 2 < n && in[i] == '%' && isHex(in[i + 1]) && isHex(in[i + 2]);
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
