package dev.mayfly.scanner;

/**
 * Undoes JSON string escapes (RFC 8259 §7) across a whole view: {@code \" \\ \/ \b \f \n \r \t} and backslash-u escapes.
 * It does not need to know where strings start, so it works on any window of a JSON document, of JSONL,
 * or of a log line that embeds JSON; applied again to its own output it reaches JSON inside JSON strings.
 * Invalid escapes are copied as they are.
 */
final class JsonStringDecoder {
    private JsonStringDecoder() {
    }

    /** The unescaped view, or {@code null} when the view has no escape. */
    static View decode(View v, Scratch scratch) {
        return decode(v, scratch, positionsOf(v.text, v.length, '\\', new IntList()));
    }

    /**
     * As {@link #decode(View, Scratch)}, given the position of every backslash in the view, in order (the
     * prefilter's hits say where they are): the text between two of them is copied in bulk, unread.
     */
    static View decode(View v, Scratch scratch, IntList backslashes) {
        char[] in = v.text;
        int n = v.length;
        int[] at = backslashes.array();
        int count = backslashes.size();
        int k = 0;
        while (k < count && consumedAt(in, at[k], n) == 1) {
            k++;
        }
        if (k == count) {
            return null;
        }
        char[] out = scratch.chars(v.depth + 1, n);
        IntList changed = new IntList();
        IntList from = new IntList();
        IntList after = new IntList();
        int o = 0;
        int i = 0;
        for (; k < count; k++) {
            int b = at[k];
            if (b < i) {
                continue; // the second backslash of an escaped backslash
            }
            System.arraycopy(in, i, out, o, b - i);
            o += b - i;
            i = b;
            int consumed = consumedAt(in, i, n);
            if (consumed > 1) {
                changed.add(o);
                from.add(i);
                after.add(i + consumed);
                out[o++] = unescape(in, i);
            } else {
                out[o++] = '\\';
            }
            i += consumed;
        }
        System.arraycopy(in, i, out, o, n - i);
        o += n - i;
        return View.contiguous(v, Decoding.JSON_STRING, out, o, changed.toArray(), from.toArray(), after.toArray());
    }

    /** Fills {@code out} with the positions of {@code c} in {@code text[0, n)}, in order. */
    static IntList positionsOf(char[] text, int n, char c, IntList out) {
        out.clear();
        for (int i = 0; i < n; i++) {
            if (text[i] == c) {
                out.add(i);
            }
        }
        return out;
    }

    /** The length of the escape at backslash {@code i}: 2 or 6, or 1 when it is not a valid escape. */
    private static int consumedAt(char[] in, int i, int n) {
        if (i + 1 >= n) {
            return 1;
        }
        switch (in[i + 1]) {
            case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
                return 2;
            case 'u':
                return i + 6 <= n && hex4(in, i + 2) >= 0 ? 6 : 1;
            default:
                return 1;
        }
    }

    /**
     * The character the valid escape at backslash {@code i} stands for: a quote, backslash or slash
     * stands for itself, {@code b f n r t} for their control characters, backslash-u for its code unit.
     */
    static char unescape(char[] in, int i) {
        char e = in[i + 1];
        switch (e) {
            case 'b':
                return '\b';
            case 'f':
                return '\f';
            case 'n':
                return '\n';
            case 'r':
                return '\r';
            case 't':
                return '\t';
            case 'u':
                return (char) hex4(in, i + 2);
            default:
                return e;
        }
    }

    static int hex4(char[] in, int at) {
        int v = 0;
        for (int k = 0; k < 4; k++) {
            int d = Character.digit(in[at + k], 16);
            if (d < 0) {
                return -1;
            }
            v = (v << 4) | d;
        }
        return v;
    }
}
