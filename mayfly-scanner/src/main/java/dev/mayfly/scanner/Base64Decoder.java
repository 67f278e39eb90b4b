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
    /**
     * Bytes decoded first, to reject a run that is not text before decoding a whole probe. A whole
     * number of quads, at most {@link #MIN_BYTES}: the probe picks up where they stop.
     */
    private static final int EARLY_BYTES = 12;
    private static final byte[] VALUE = new byte[128];
    /**
     * Per char (all 64 K of them, so a lookup needs no {@code c < 128} test): 1 = base64 character, 2 =
     * also a hex digit, 0 = neither. ANDing the kinds of a run's characters tells whether it is hex only.
     */
    private static final byte[] KIND = new byte[1 << 16];

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

    /**
     * Per first decoded byte: true when that byte alone refuses the run (a control character, a
     * continuation byte or a byte that never starts a UTF-8 sequence), as {@link #failsEarly} would.
     */
    private static final boolean[] REFUSED_FIRST = new boolean[256];

    static {
        for (int b = 0; b < 256; b++) {
            REFUSED_FIRST[b] = b < 0x80 ? isControl(b) : b < 0xC2 || b > 0xF4;
        }
    }

    private Base64Decoder() {
    }

    /** Adds a view for each run of {@code v} that decodes to text. */
    static void decode(View v, boolean truncatedStart, List<View> out) {
        decode(v, truncatedStart, 0, v.length, out);
    }

    /**
     * As {@link #decode(View, boolean, List)}, for a view without rewritten characters, only the runs
     * that reach into {@code [from, to)}: a window's root view asks for its own stretch, since a run
     * wholly in the overlap with a neighbouring window can only give findings that window owns.
     */
    static void decode(View v, boolean truncatedStart, int from, int to, List<View> out) {
        int[] changed = v.changedPositions();
        if (changed != null) {
            decodeAround(v, changed, truncatedStart, out);
            return;
        }
        char[] t = v.text;
        int n = v.length;
        int i = Math.max(0, Math.min(from, n));
        while (i > 0 && KIND[t[i - 1]] != 0) {
            i--; // the start of the run reaching into the stretch
        }
        int last = Math.min(to, n);
        byte[] probe = null;
        // Every run of MIN_RUN or more that starts in [i, i + MIN_RUN) covers i + MIN_RUN - 1, and one
        // that starts at i covers all of [i, i + MIN_RUN). So that window is read from its far end back:
        // the first character that is not base64, at k, rules out every start up to k at once, and the
        // next window starts at k + 1. Log words, paths and short ids end a few characters back, so a step
        // reads a few characters and moves on by about twelve, with one hard-to-predict branch where
        // walking the probed word to both of its ends takes two. Characters read already, [i, known), are
        // not read again; kinds is the AND of their kinds (2 when all are hex digits).
        // Invariant: i == 0 or t[i - 1] is not a base64 character; t[i, known) all are.
        int known = i;
        int kinds = 2;
        while (i + MIN_RUN <= n && i < last) {
            int k = i + MIN_RUN - 1;
            int farKinds = 2;
            int kind;
            while (k >= known && (kind = KIND[t[k]]) != 0) {
                farKinds &= kind;
                k--;
            }
            if (k >= known) {
                known = i + MIN_RUN;
                kinds = farKinds;
                i = k + 1;
                continue;
            }
            kinds &= farKinds;
            int s = i;
            int e = s + MIN_RUN;
            while (e < n && (kind = KIND[t[e]]) != 0) {
                kinds &= kind;
                e++;
            }
            if (kinds != 2) {
                if (probe == null) {
                    probe = new byte[PROBE_BYTES];
                }
                tryRun(v, s, e, truncatedStart, probe, out);
            }
            i = e + 1;
            known = i;
            kinds = 2;
        }
    }

    /**
     * Adds the decoding of run {@code [s, e)} when it is text; {@code probe} is scratch space for the
     * first {@value #PROBE_BYTES} bytes, so that a run refused there allocates nothing.
     */
    private static void tryRun(View v, int s, int e, boolean truncatedStart, byte[] probe, List<View> out) {
        // a run cut by the start of the window may not start on a quad boundary
        boolean misaligned = s == 0 && truncatedStart && v.contiguousToRoot();
        for (int a = 0; a < (misaligned ? 4 : 1); a++) {
            View decoded = tryDecode(v, s + a, e, probe);
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
        byte[] probe = null;
        for (int c : changed) {
            if (c < done || KIND[t[c]] == 0) {
                continue;
            }
            int s = c;
            int kinds = 2;
            while (s > 0 && KIND[t[s - 1]] != 0) {
                s--;
            }
            int e = s;
            while (e < n) {
                int k = KIND[t[e]];
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
            if (probe == null) {
                probe = new byte[PROBE_BYTES];
            }
            tryRun(v, s, e, truncatedStart, probe, out);
        }
    }

    private static View tryDecode(View v, int s, int e, byte[] scratch) {
        int total = byteCount(e - s);
        if (total < MIN_BYTES) {
            return null;
        }
        char[] t = v.text;
        // Most runs (identifiers, digests, random tokens) are not text, and say so in their first bytes,
        // many in the very first.
        if (REFUSED_FIRST[((VALUE[t[s]] << 2) | (VALUE[t[s + 1]] >> 4)) & 0xFF]) {
            return null;
        }
        int probe = Math.min(total, PROBE_BYTES);
        int early = Math.min(probe, EARLY_BYTES);
        decodeBytes(v.text, s, scratch, 0, early);
        if (failsEarly(scratch, early)) {
            return null;
        }
        // EARLY_BYTES is a whole number of quads: the probe continues where the early bytes stopped
        decodeBytes(v.text, s + EARLY_BYTES / 3 * 4, scratch, early, probe);
        if (!isText(scratch, probe, probe < total)) {
            return null;
        }
        byte[] bytes = new byte[total];
        decodeBytes(v.text, s, bytes, 0, total);
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

    /** Decodes bytes {@code [from, count)} of out from the quads starting at {@code s} (byte {@code from}'s quad). */
    private static void decodeBytes(char[] t, int s, byte[] out, int from, int count) {
        int b = from;
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
