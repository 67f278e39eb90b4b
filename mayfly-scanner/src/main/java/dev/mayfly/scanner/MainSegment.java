package dev.mayfly.scanner;

import java.util.Arrays;

/**
 * The window of the input itself: characters map to input offsets one to one. It tracks the line number
 * at the window's start across windows and indexes newlines lazily (only when a finding needs a line).
 */
final class MainSegment extends Segment {
    private long base;
    private int lineAtBase = 1;
    private long lastNewlineBeforeBase = -1;
    private final IntList newlines = new IntList();
    private int[] newlineIndex;

    void set(char[] text, int length, int ownStart, int ownEnd) {
        this.text = text;
        this.length = length;
        this.ownStart = ownStart;
        this.ownEnd = ownEnd;
        this.newlineIndex = null;
    }

    /** Accounts for the first {@code count} characters being dropped from the window. */
    void drop(int count) {
        for (int i = 0; i < count; i++) {
            if (text[i] == '\n') {
                lineAtBase++;
                lastNewlineBeforeBase = base + i;
            }
        }
        base += count;
        newlineIndex = null;
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
        int[] idx = index();
        int before = Arrays.binarySearch(idx, i);
        int count = before >= 0 ? before : -before - 1;
        return clamp(lineAtBase + (long) count);
    }

    @Override
    int column(int i) {
        int[] idx = index();
        int before = Arrays.binarySearch(idx, i);
        int count = before >= 0 ? before : -before - 1;
        long lastNewline = count == 0 ? lastNewlineBeforeBase : base + idx[count - 1];
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

    private int[] index() {
        if (newlineIndex == null) {
            newlines.clear();
            for (int i = 0; i < length; i++) {
                if (text[i] == '\n') {
                    newlines.add(i);
                }
            }
            newlineIndex = newlines.toArray();
        }
        return newlineIndex;
    }

    private static int clamp(long v) {
        return v > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) v;
    }
}
