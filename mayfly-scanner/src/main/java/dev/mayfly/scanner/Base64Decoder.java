package dev.mayfly.scanner;

import java.util.Arrays;
import java.util.List;

/**
 * Finds runs of base64 (standard or URL-safe alphabet, RFC 4648 §4 and §5, padding optional) of at least
 * {@value #MIN_RUN} characters and decodes those that turn out to be UTF-8 text without control
 * characters: credentials in {@code Authorization: Basic}, Kubernetes Secret {@code data:}, encoded
 * config blobs. Binary payloads, hex digests and random tokens do not decode to text and are passed over
 * after a few bytes. Each decoded character maps to the base64 quads that hold its bytes.
 */
final class Base64Decoder {
    static final int MIN_RUN = 16;
    private static final int MIN_BYTES = 12;
    private static final int PROBE_BYTES = 96;
    /** Bytes decoded first, to reject a run that is not text before decoding a whole probe. */
    private static final int EARLY_BYTES = 12;
    private static final byte[] VALUE = new byte[128];
    /** Per ASCII char: 1 = base64 character, 2 = also a hex digit. */
    private static final byte[] KIND = new byte[128];

    static {
        Arrays.fill(VALUE, (byte) -1);
        String std = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < std.length(); i++) {
            VALUE[std.charAt(i)] = (byte) i;
        }
        VALUE['-'] = 62;
        VALUE['_'] = 63;
        for (int c = 0; c < 128; c++) {
            if (VALUE[c] >= 0) {
                KIND[c] = (byte) (Character.digit(c, 16) >= 0 ? 2 : 1);
            }
        }
    }

    private Base64Decoder() {
    }

    /** Adds a view for each run of {@code v} that decodes to text. */
    static void decode(View v, boolean truncatedStart, List<View> out) {
        int[] changed = v.changedPositions();
        if (changed != null) {
            decodeAround(v, changed, truncatedStart, out);
            return;
        }
        char[] t = v.text;
        int n = v.length;
        // A run of MIN_RUN or more starting anywhere in [i, i + MIN_RUN) covers i + MIN_RUN - 1, so one
        // probe there rules out MIN_RUN starts at once; prose and log text mostly fail it. Invariant:
        // i == 0 or t[i - 1] is not a base64 character.
        int i = 0;
        while (i + MIN_RUN <= n) {
            int probe = i + MIN_RUN - 1;
            if (kind(t[probe]) == 0) {
                i = probe + 1;
                continue;
            }
            int s = probe;
            while (s > i && kind(t[s - 1]) != 0) {
                s--;
            }
            int e = probe + 1;
            while (e < n && kind(t[e]) != 0) {
                e++;
            }
            i = e + 1;
            if (e - s < MIN_RUN || hexOnly(t, s, e) || v.unchangedIn(s, e)) {
                continue;
            }
            tryRun(v, s, e, truncatedStart, out);
        }
    }

    private static boolean hexOnly(char[] t, int s, int e) {
        for (int k = s; k < e; k++) {
            if (KIND[t[k]] != 2) {
                return false;
            }
        }
        return true;
    }

    static void tryRun(View v, int s, int e, boolean truncatedStart, List<View> out) {
        // a run cut by the start of the window may not start on a quad boundary
        boolean misaligned = s == 0 && truncatedStart && v.contiguousToRoot();
        for (int a = 0; a < (misaligned ? 4 : 1); a++) {
            View decoded = tryDecode(v, s + a, e);
            if (decoded != null) {
                out.add(decoded);
                return;
            }
        }
    }

    /**
     * In a view that rewrote only some characters, a run without any of them is the parent's run, which
     * the parent already decoded: only the runs through rewritten characters are looked at, found by
     * growing each one's run to both sides instead of walking the whole view.
     */
    private static void decodeAround(View v, int[] changed, boolean truncatedStart, List<View> out) {
        char[] t = v.text;
        int n = v.length;
        int done = 0;
        for (int c : changed) {
            if (c < done || kind(t[c]) == 0) {
                continue;
            }
            int s = c;
            int kinds = 2;
            while (s > 0 && kind(t[s - 1]) != 0) {
                s--;
            }
            int e = s;
            while (e < n) {
                int k = kind(t[e]);
                if (k == 0) {
                    break;
                }
                kinds &= k;
                e++;
            }
            done = e;
            if (e - s < MIN_RUN || kinds == 2) {
                continue;
            }
            tryRun(v, s, e, truncatedStart, out);
        }
    }

    private static int kind(char c) {
        return c < 128 ? KIND[c] : 0;
    }

    private static View tryDecode(View v, int s, int e) {
        int total = byteCount(e - s);
        if (total < MIN_BYTES) {
            return null;
        }
        int probe = Math.min(total, PROBE_BYTES);
        byte[] bytes = new byte[total];
        // Most runs (identifiers, digests, random tokens) are not text, and say so in their first bytes.
        int early = Math.min(probe, EARLY_BYTES);
        decodeBytes(v.text, s, bytes, early);
        if (failsEarly(bytes, early)) {
            return null;
        }
        decodeBytes(v.text, s, bytes, probe);
        if (!isText(bytes, probe, probe < total)) {
            return null;
        }
        decodeBytes(v.text, s, bytes, total);
        char[] chars = new char[total];
        int[] starts = new int[total];
        int[] ends = new int[total];
        int c = 0;
        int b = 0;
        while (b < total) {
            int len = Utf8.sequenceLength(bytes, b, total);
            if (len == 0) {
                if (total - b < 4 && b > 0) {
                    break; // a character cut off at the end of the window
                }
                return null;
            }
            int cp = Utf8.decode(bytes, b, len);
            if (isControl(cp)) {
                return null;
            }
            int from = s + (b / 3) * 4;
            int to = Math.min(e, s + ((b + len - 1) / 3) * 4 + 4);
            for (char ch : Character.toChars(cp)) {
                chars[c] = ch;
                starts[c] = from;
                ends[c] = to;
                c++;
            }
            b += len;
        }
        return View.ranged(v, Decoding.BASE64, chars, c, starts, ends);
    }

    private static int byteCount(int chars) {
        int rem = chars % 4;
        return chars / 4 * 3 + (rem == 2 ? 1 : rem == 3 ? 2 : 0);
    }

    /** Decodes the first {@code count} bytes of the run starting at {@code s}. */
    private static void decodeBytes(char[] t, int s, byte[] out, int count) {
        int b = 0;
        int i = s;
        while (b < count) {
            int v0 = VALUE[t[i]];
            int v1 = VALUE[t[i + 1]];
            out[b++] = (byte) ((v0 << 2) | (v1 >> 4));
            if (b < count) {
                int v2 = VALUE[t[i + 2]];
                out[b++] = (byte) (((v1 & 0xF) << 4) | (v2 >> 2));
                if (b < count) {
                    int v3 = VALUE[t[i + 3]];
                    out[b++] = (byte) (((v2 & 0x3) << 6) | v3);
                }
            }
            i += 4;
        }
    }

    /**
     * True when the first {@code count} bytes already decide {@link #isText} against the run, whatever
     * follows: a control character, or a sequence that is invalid with all four of its possible bytes at
     * hand (a sequence cut off by {@code count} decides nothing).
     */
    static boolean failsEarly(byte[] bytes, int count) {
        int b = 0;
        while (b + 4 <= count) {
            int len = Utf8.sequenceLength(bytes, b, count);
            if (len == 0 || isControl(Utf8.decode(bytes, b, len))) {
                return true;
            }
            b += len;
        }
        return false;
    }

    static boolean isText(byte[] bytes, int count, boolean more) {
        int b = 0;
        while (b < count) {
            int len = Utf8.sequenceLength(bytes, b, count);
            if (len == 0) {
                return (more || b > 0) && count - b < 4;
            }
            if (isControl(Utf8.decode(bytes, b, len))) {
                return false;
            }
            b += len;
        }
        return true;
    }

    private static boolean isControl(int cp) {
        return (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || cp == 0x7F;
    }
}
