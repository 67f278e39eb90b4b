package dev.mayfly.scanner;

import java.util.Arrays;

/**
 * The reassembled text of one streamed LLM output (one choice, content block or tool call), scanned in
 * overlapping windows like the input itself. Every character remembers where in the input it came from
 * (offset, width of its JSON escape, line, column), so a secret split over several events maps back to
 * each piece. Arrays grow on demand: most streams are short.
 */
final class DeltaLane extends Segment {
    private static final int INITIAL = 256;

    private final ChunkScanner scanner;
    private final int capacity;
    private final int overlap;
    private long[] starts = new long[INITIAL];
    private int[] widths = new int[INITIAL];
    private int[] lines = new int[INITIAL];
    private int[] columns = new int[INITIAL];
    private boolean dropped;

    DeltaLane(ChunkScanner scanner, int chunk, int overlap) {
        this.scanner = scanner;
        this.overlap = overlap;
        this.capacity = chunk + 2 * overlap;
        this.text = new char[INITIAL];
    }

    void append(char c, long inputStart, int width, int line, int column) {
        if (length == capacity) {
            flush(false);
        }
        if (length == text.length) {
            grow(length + 1);
        }
        text[length] = c;
        starts[length] = inputStart;
        widths[length] = width;
        lines[length] = line;
        columns[length] = column;
        length++;
    }

    /**
     * Appends {@code src[from, from + count)}, characters that stand for themselves in the input, the
     * first at {@code inputStart}, line {@code line}, column {@code column}: as many {@link #append} calls,
     * one per character, would (same flushes), in bulk.
     */
    void appendRun(char[] src, int from, int count, long inputStart, int line, int column) {
        int done = 0;
        while (done < count) {
            if (length == capacity) {
                flush(false);
            }
            int n = Math.min(count - done, capacity - length);
            if (length + n > text.length) {
                grow(length + n);
            }
            System.arraycopy(src, from + done, text, length, n);
            long start = inputStart + done;
            int col = column + done;
            for (int k = 0; k < n; k++) {
                starts[length + k] = start + k;
                columns[length + k] = col + k;
            }
            Arrays.fill(widths, length, length + n, 1);
            Arrays.fill(lines, length, length + n, line);
            length += n;
            done += n;
        }
    }

    private void grow(int atLeast) {
        int n = text.length;
        while (n < atLeast) {
            n = Math.min(capacity, n * 2);
        }
        text = Arrays.copyOf(text, n);
        starts = Arrays.copyOf(starts, n);
        widths = Arrays.copyOf(widths, n);
        lines = Arrays.copyOf(lines, n);
        columns = Arrays.copyOf(columns, n);
    }

    /** Scans what can be scanned; at {@code eof} everything. */
    void flush(boolean eof) {
        ownEnd = eof ? length : length - overlap;
        if (ownEnd > ownStart) {
            scanner.scan(this);
        }
        if (eof) {
            length = 0;
            ownStart = 0;
            return;
        }
        int keep = ownEnd - overlap;
        if (keep > 0) {
            int n = length - keep;
            System.arraycopy(text, keep, text, 0, n);
            System.arraycopy(starts, keep, starts, 0, n);
            System.arraycopy(widths, keep, widths, 0, n);
            System.arraycopy(lines, keep, lines, 0, n);
            System.arraycopy(columns, keep, columns, 0, n);
            length = n;
            dropped = true;
        }
        ownStart = ownEnd - Math.max(keep, 0);
    }

    /** Input offset before which no future finding of this lane can start. */
    long pending() {
        return ownStart < length ? starts[ownStart] : Long.MAX_VALUE;
    }

    @Override
    long inputStart(int i) {
        return starts[i];
    }

    @Override
    int line(int i) {
        return lines[i];
    }

    @Override
    int column(int i) {
        return columns[i];
    }

    @Override
    long[] spans(int from, int to) {
        long[] out = new long[8];
        int n = 0;
        for (int k = from; k < to; k++) {
            if (widths[k] == 0) {
                continue;
            }
            long s = starts[k];
            long e = s + widths[k];
            if (n > 0 && out[n - 1] == s) {
                out[n - 1] = e;
            } else {
                if (n + 2 > out.length) {
                    out = Arrays.copyOf(out, out.length * 2);
                }
                out[n++] = s;
                out[n++] = e;
            }
        }
        return Arrays.copyOf(out, n);
    }

    @Override
    boolean truncatedStart() {
        return dropped;
    }

    @Override
    Decoding decoding() {
        return Decoding.LLM_STREAM;
    }
}
