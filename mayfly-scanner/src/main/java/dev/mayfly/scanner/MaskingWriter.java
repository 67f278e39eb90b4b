package dev.mayfly.scanner;

import java.io.IOException;
import java.io.Writer;
import java.util.Arrays;
import java.util.PriorityQueue;

/**
 * Writes the input back with each finding's spans replaced, as soon as the scan commits that no later
 * finding can start before a position. The first span of a finding becomes its redacted form, further
 * spans (the other pieces of a reassembled secret) become empty. A span whose text contains a quote (a
 * rule whose secret is a whole {@code "key": "value"} match) has its letters and digits masked instead,
 * keeping quotes, separators and escape sequences, so JSON stays valid either way. A span inside an
 * encoding (base64, percent) gets the bare mask, not the plain-text prefix. Holds only the uncommitted
 * input.
 */
final class MaskingWriter implements ScanListener {
    private final Writer out;
    private final PriorityQueue<Mask> masks = new PriorityQueue<>((a, b) -> a.start != b.start
            ? Long.compare(a.start, b.start) : Long.compare(b.end, a.end));
    private char[] held;
    private int heldLength;
    private long heldBase;
    private long skipUntil;
    private IOException failure;

    MaskingWriter(Writer out) {
        this(out, 8192);
    }

    /** With room for {@code expectedLength} characters of held input before the buffer grows. */
    MaskingWriter(Writer out, int expectedLength) {
        this.out = out;
        this.held = new char[Math.max(16, Math.min(expectedLength, 8192))];
    }

    @Override
    public void input(char[] buf, int off, int len) {
        if (heldLength + len > held.length) {
            held = Arrays.copyOf(held, Math.max(held.length * 2, heldLength + len));
        }
        System.arraycopy(buf, off, held, heldLength, len);
        heldLength += len;
    }

    @Override
    public void finding(Finding finding) {
        long[] spans = finding.spans();
        for (int i = 0; i < spans.length; i += 2) {
            masks.add(new Mask(spans[i], spans[i + 1], i == 0 ? finding.redacted() : ""));
        }
    }

    @Override
    public void committed(long offset) {
        if (failure != null) {
            return;
        }
        try {
            flush(Math.min(offset, heldBase + heldLength));
        } catch (IOException e) {
            failure = e;
        }
    }

    void rethrow() throws IOException {
        if (failure != null) {
            throw failure;
        }
    }

    private void flush(long limit) throws IOException {
        long pos = heldBase;
        while (pos < limit) {
            Mask m = masks.peek();
            if (m != null && m.start <= pos) {
                masks.poll();
                if (m.end > pos) {
                    if (pos >= skipUntil) {
                        out.write(replacement(m, pos));
                    }
                    skipUntil = Math.max(skipUntil, m.end);
                }
                continue;
            }
            long stop = m == null ? limit : Math.min(limit, m.start);
            if (pos < skipUntil) {
                pos = Math.min(stop, skipUntil);
                continue;
            }
            out.write(held, (int) (pos - heldBase), (int) (stop - pos));
            pos = stop;
        }
        int consumed = (int) (pos - heldBase);
        System.arraycopy(held, consumed, held, 0, heldLength - consumed);
        heldLength -= consumed;
        heldBase = pos;
    }

    private String replacement(Mask m, long pos) {
        int from = (int) (pos - heldBase);
        int to = (int) Math.min(heldLength, m.end - heldBase);
        boolean quoted = false;
        for (int i = from; i < to; i++) {
            if (held[i] == '"') {
                quoted = true;
                break;
            }
        }
        if (!quoted) {
            // Keep the visible prefix only where the secret is in plain sight, not inside base64 or %XX.
            String prefix = m.replacement.endsWith(Finding.MASK)
                    ? m.replacement.substring(0, m.replacement.length() - Finding.MASK.length()) : "";
            return startsWith(from, to, prefix) ? m.replacement : Finding.MASK;
        }
        // Mask letters and digits only: quotes, separators and escape sequences keep the JSON valid.
        StringBuilder sb = new StringBuilder(to - from);
        for (int i = from; i < to; i++) {
            char c = held[i];
            if (c == '\\' && i + 1 < to) {
                if (held[i + 1] == 'u') {
                    sb.append("\\u002a");
                    i += Math.min(5, to - i - 1);
                } else {
                    sb.append(c).append(held[i + 1]);
                    i++;
                }
            } else {
                sb.append(Character.isLetterOrDigit(c) ? '*' : c);
            }
        }
        return sb.toString();
    }

    private boolean startsWith(int from, int to, String prefix) {
        if (to - from < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (held[from + i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static final class Mask {
        final long start;
        final long end;
        final String replacement;

        Mask(long start, long end, String replacement) {
            this.start = start;
            this.end = end;
            this.replacement = replacement;
        }
    }
}
