package dev.mayfly.scanner;

import java.util.List;

/**
 * The decoders as first written, one character at a time: the reference {@link DecoderFastPathTest}
 * holds the fast paths to.
 */
final class PlainDecoders {
    /** The parent position of every character of the last view built here, and of its end. */
    static int[] lastStarts;

    private PlainDecoders() {
    }

    /** A contiguous view from a full position map, the way the decoders used to describe one. */
    private static View contiguous(View v, Decoding d, char[] out, int length, int[] starts, int[] changed) {
        int[] from = new int[changed.length];
        int[] after = new int[changed.length];
        for (int k = 0; k < changed.length; k++) {
            from[k] = starts[changed[k]];
            after[k] = starts[changed[k] + 1];
        }
        lastStarts = java.util.Arrays.copyOf(starts, length + 1);
        return View.contiguous(v, d, out, length, changed, from, after);
    }

    static View json(View v) {
        char[] in = v.text;
        int n = v.length;
        boolean any = false;
        for (int i = 0; i + 1 < n && !any; i++) {
            if (in[i] == '\\') {
                char e = in[i + 1];
                any = e == '"' || e == '\\' || e == '/' || e == 'b' || e == 'f' || e == 'n' || e == 'r' || e == 't'
                        || (e == 'u' && i + 6 <= n && JsonStringDecoder.hex4(in, i + 2) >= 0);
            }
        }
        if (!any) {
            return null;
        }
        char[] out = new char[n];
        int[] starts = new int[n + 1];
        IntList changed = new IntList();
        int o = 0;
        int i = 0;
        while (i < n) {
            char c = in[i];
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
                        int cp = i + 6 <= n ? JsonStringDecoder.hex4(in, i + 2) : -1;
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
                }
            }
            out[o] = decoded;
            starts[o] = i;
            o++;
            i += consumed;
        }
        starts[o] = n;
        return contiguous(v, Decoding.JSON_STRING, out, o, starts, changed.toArray());
    }

    static View percent(View v) {
        char[] in = v.text;
        int n = v.length;
        boolean any = false;
        for (int i = 0; i + 2 < n && !any; i++) {
            any = in[i] == '%' && isHex(in[i + 1]) && isHex(in[i + 2]);
        }
        if (!any) {
            return null;
        }
        char[] out = new char[n];
        int[] starts = new int[n + 1];
        IntList changed = new IntList();
        int o = 0;
        int i = 0;
        byte[] bytes = new byte[16];
        int[] at = new int[16];
        while (i < n) {
            if (in[i] == '%' && i + 2 < n && isHex(in[i + 1]) && isHex(in[i + 2])) {
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
                        for (int k = 0; k < 3; k++) {
                            out[o] = in[at[b] + k];
                            starts[o++] = at[b] + k;
                        }
                        b++;
                        continue;
                    }
                    for (char ch : Character.toChars(Utf8.decode(bytes, b, len))) {
                        changed.add(o);
                        out[o] = ch;
                        starts[o++] = at[b];
                    }
                    b += len;
                }
                i = j;
            } else {
                out[o] = in[i];
                starts[o++] = i;
                i++;
            }
        }
        starts[o] = n;
        return contiguous(v, Decoding.PERCENT, out, o, starts, changed.toArray());
    }

    /** Every maximal run of base64 characters, left to right, that is not all hex digits, decoded whole. */
    static void base64(View v, boolean truncatedStart, List<View> out) {
        char[] t = v.text;
        int n = v.length;
        int i = 0;
        while (i < n) {
            if (kind(t[i]) == 0) {
                i++;
                continue;
            }
            int s = i;
            int kinds = 2;
            while (i < n && kind(t[i]) != 0) {
                kinds &= kind(t[i]);
                i++;
            }
            if (i - s < Base64Decoder.MIN_RUN || kinds == 2 || v.unchangedIn(s, i)) {
                continue;
            }
            tryRun(v, s, i, truncatedStart, out);
        }
    }

    /**
     * A run decoded whole and then read as UTF-8, without the decoder's shortcuts (early refusal on the
     * first bytes, the probe, the scratch buffer): a character cut off by the end of the run is dropped,
     * any other invalid sequence or control character refuses the run. A run cut by the start of a window
     * is also tried from its next three characters.
     */
    static void tryRun(View v, int s, int e, boolean truncatedStart, List<View> out) {
        boolean misaligned = s == 0 && truncatedStart && v.contiguousToRoot();
        for (int a = 0; a < (misaligned ? 4 : 1); a++) {
            View decoded = tryDecode(v, s + a, e);
            if (decoded != null) {
                out.add(decoded);
                return;
            }
        }
    }

    private static View tryDecode(View v, int s, int e) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        int bits = 0;
        int acc = 0;
        for (int i = s; i < e; i++) {
            char c = v.text[i];
            int value = c == '-' ? 62 : c == '_' ? 63 : alphabet.indexOf(c);
            acc = (acc << 6) | value;
            bits += 6;
            if (bits >= 8) {
                bits -= 8;
                bytes.write((acc >> bits) & 0xFF);
            }
        }
        byte[] b = bytes.toByteArray();
        if (b.length < 12) {
            return null;
        }
        StringBuilder chars = new StringBuilder();
        IntList starts = new IntList();
        IntList ends = new IntList();
        int at = 0;
        while (at < b.length) {
            int len = Utf8.sequenceLength(b, at, b.length);
            if (len == 0) {
                if (b.length - at < 4 && at > 0) {
                    break;
                }
                return null;
            }
            int cp = Utf8.decode(b, at, len);
            if ((cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || cp == 0x7F) {
                return null;
            }
            // byte j comes from quad j / 3: a character spans the quads of its first and last byte
            int from = s + (at / 3) * 4;
            int to = Math.min(e, s + ((at + len - 1) / 3) * 4 + 4);
            for (char ch : Character.toChars(cp)) {
                chars.append(ch);
                starts.add(from);
                ends.add(to);
            }
            at += len;
        }
        char[] text = chars.toString().toCharArray();
        return View.ranged(v, Decoding.BASE64, text, text.length, starts.toArray(), ends.toArray());
    }

    /** What {@code DeltaReassembler.process} requires of a line's start before it parses the line. */
    static boolean mayBeEvent(char[] line) {
        String s = new String(line);
        int p = 0;
        while (p < s.length() && (s.charAt(p) == ' ' || s.charAt(p) == '\t')) {
            p++;
        }
        if (s.startsWith("data:", p)) {
            p += 5;
            while (p < s.length() && s.charAt(p) == ' ') {
                p++;
            }
        }
        return s.startsWith("[DONE]", p) || (p < s.length() && s.charAt(p) == '{');
    }

    private static int kind(char c) {
        if (c >= 128) {
            return 0;
        }
        if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')) {
            return 2;
        }
        return Character.isLetter(c) || c == '+' || c == '/' || c == '-' || c == '_' ? 1 : 0;
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
