package dev.mayfly.scanner;

/**
 * The window of the input itself: characters map to input offsets one to one. It tracks the line number
 * at the window's start across windows and indexes newlines lazily (only as far as a finding needs a
 * line, and the drop of the window's start reuses that index).
 */
final class MainSegment extends Segment {
    private long base;
    private int lineAtBase = 1;
    private long lastNewlineBeforeBase = -1;
    /** Positions of the newlines in {@code text[0, indexedTo)}: built only as far as a line number needs. */
    private final IntList newlines = new IntList();
    private int indexedTo;

    void set(char[] text, int length, int ownStart, int ownEnd) {
        this.text = text;
        this.length = length;
        this.ownStart = ownStart;
        this.ownEnd = ownEnd;
        newlines.clear();
        indexedTo = 0;
    }

    /** Accounts for the first {@code count} characters being dropped from the window. */
    void drop(int count) {
        int before = newlinesBefore(count);
        if (before > 0) {
            lineAtBase += before;
            lastNewlineBeforeBase = base + newlines.get(before - 1);
        }
        base += count;
        newlines.clear();
        indexedTo = 0;
    }

    long base() {
        return base;
    }

    @Override
    long inputStart(int i) {
        return base + i;
    }

    @Override
    int line(int i) {
        return clamp(lineAtBase + (long) newlinesBefore(i));
    }

    @Override
    int column(int i) {
        int count = newlinesBefore(i);
        long lastNewline = count == 0 ? lastNewlineBeforeBase : base + newlines.get(count - 1);
        return clamp(base + i - lastNewline);
    }

    @Override
    long[] spans(int from, int to) {
        return new long[] {base + from, base + to};
    }

    @Override
    boolean truncatedStart() {
        return base > 0;
    }

    @Override
    Decoding decoding() {
        return null;
    }

    /** The number of newlines in {@code text[0, i)}, indexing the window up to {@code i} first if needed. */
    private int newlinesBefore(int i) {
        if (indexedTo < i) {
            char[] t = text;
            for (int k = indexedTo; k < i; k++) {
                if (t[k] == '\n') {
                    newlines.add(k);
                }
            }
            indexedTo = i;
        }
        int[] idx = newlines.array();
        int lo = 0;
        int hi = newlines.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (idx[mid] < i) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static int clamp(long v) {
        return v > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) v;
    }
}
