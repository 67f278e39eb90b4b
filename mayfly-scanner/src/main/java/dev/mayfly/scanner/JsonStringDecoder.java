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
        char[] in = v.text;
        int n = v.length;
        int first = firstEscape(in, n);
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
        while (i < n) {
            char c = in[i];
            if (c != '\\') {
                // the stretch up to the next backslash is copied as it is, in bulk
                int next = i + 1;
                while (next < n && in[next] != '\\') {
                    next++;
                }
                System.arraycopy(in, i, out, o, next - i);
                o += next - i;
                i = next;
                continue;
            }
            int consumed = 1;
            char decoded = c;
            if (c == '\\' && i + 1 < n) {
                char e = in[i + 1];
                consumed = 2;
                switch (e) {
                    case '"': case '\\': case '/':
                        decoded = e;
                        break;
                    case 'b':
                        decoded = '\b';
                        break;
                    case 'f':
                        decoded = '\f';
                        break;
                    case 'n':
                        decoded = '\n';
                        break;
                    case 'r':
                        decoded = '\r';
                        break;
                    case 't':
                        decoded = '\t';
                        break;
                    case 'u': {
                        int cp = i + 6 <= n ? hex4(in, i + 2) : -1;
                        if (cp < 0) {
                            consumed = 1;
                        } else {
                            decoded = (char) cp;
                            consumed = 6;
                        }
                        break;
                    }
                    default:
                        consumed = 1;
                }
                if (consumed > 1) {
                    changed.add(o);
                    from.add(i);
                    after.add(i + consumed);
                }
            }
            out[o] = decoded;
            o++;
            i += consumed;
        }
        return View.contiguous(v, Decoding.JSON_STRING, out, o, changed.toArray(), from.toArray(), after.toArray());
    }

    private static int firstEscape(char[] in, int n) {
        for (int i = 0; i + 1 < n; i++) {
            if (in[i] == '\\') {
                char e = in[i + 1];
                if (e == '"' || e == '\\' || e == '/' || e == 'b' || e == 'f' || e == 'n' || e == 'r' || e == 't'
                        || (e == 'u' && i + 6 <= n && hex4(in, i + 2) >= 0)) {
                    return i;
                }
            }
        }
        return -1;
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
