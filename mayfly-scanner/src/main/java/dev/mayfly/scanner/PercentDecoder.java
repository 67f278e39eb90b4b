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
        char[] in = v.text;
        int n = v.length;
        int first = -1;
        for (int i = 0; i + 2 < n; i++) {
            if (in[i] == '%' && isHex(in[i + 1]) && isHex(in[i + 2])) {
                first = i;
                break;
            }
        }
        if (first < 0) {
            return null;
        }
        char[] out = scratch.chars(v.depth + 1, n);
        IntList changed = new IntList();
        IntList from = new IntList();
        IntList after = new IntList();
        System.arraycopy(in, 0, out, 0, first);
        int o = first;
        int i = first;
        byte[] bytes = new byte[16];
        int[] at = new int[16];
        while (i < n) {
            if (in[i] == '%' && i + 2 < n && isHex(in[i + 1]) && isHex(in[i + 2])) {
                // gather a run of escapes (bounded) and decode it as UTF-8
                int count = 0;
                int j = i;
                while (count < bytes.length && j + 2 < n && in[j] == '%' && isHex(in[j + 1]) && isHex(in[j + 2])) {
                    bytes[count] = (byte) ((Character.digit(in[j + 1], 16) << 4) | Character.digit(in[j + 2], 16));
                    at[count] = j;
                    count++;
                    j += 3;
                }
                int b = 0;
                while (b < count) {
                    int len = Utf8.sequenceLength(bytes, b, count);
                    if (len <= 0) {
                        // not UTF-8: keep the escape as text
                        for (int k = 0; k < 3; k++) {
                            out[o++] = in[at[b] + k];
                        }
                        b++;
                        continue;
                    }
                    int cp = Utf8.decode(bytes, b, len);
                    char[] chars = Character.toChars(cp);
                    for (int k = 0; k < chars.length; k++) {
                        changed.add(o);
                        from.add(at[b]);
                        // the next character comes from the next escape (a surrogate pair's second half from the same)
                        after.add(k + 1 < chars.length ? at[b] : at[b + len - 1] + 3);
                        out[o++] = chars[k];
                    }
                    b += len;
                }
                i = j;
            } else {
                // the stretch up to the next '%' is copied as it is, in bulk
                int next = i + 1;
                while (next < n && in[next] != '%') {
                    next++;
                }
                System.arraycopy(in, i, out, o, next - i);
                o += next - i;
                i = next;
            }
        }
        return View.contiguous(v, Decoding.PERCENT, out, o, changed.toArray(), from.toArray(), after.toArray());
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
