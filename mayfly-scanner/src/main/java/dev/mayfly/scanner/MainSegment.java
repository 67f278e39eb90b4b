package dev.mayfly.scanner;

/**
 * The window of the input itself: characters map to input offsets one to one. It tracks the line number
 * at the window's start across windows and counts newlines lazily, in blocks (only as far as a finding
 * needs a line, and the drop of the window's start reuses the count).
 */
final class MainSegment extends Segment {
    /** The window's input starts inside a larger one (a part of a split file): a base64 run may be cut there. */
    private final boolean midInput;
    private long base;
    private int lineAtBase = 1;
    private long lastNewlineBeforeBase = -1;
    /**
     * Newlines are counted per block of {@code 1 << BLOCK_BITS} characters, as far as a line number or
     * the drop of the window's start needs: {@code blockCount[k]} newlines lie before block {@code k}, the
     * last of them at {@code blockLast[k]} (-1: none in this window). A line number then costs at most a
     * block's worth of characters, and the bulk of the window only a count, no positions.
     */
    private static final int BLOCK_BITS = 12;
    private int[] blockCount = new int[1];
    private int[] blockLast = {-1};
    private int blocksCounted;

    MainSegment() {
        this(false);
    }

    MainSegment(boolean midInput) {
        this.midInput = midInput;
    }

    void set(char[] text, int length, int ownStart, int ownEnd) {
        this.text = text;
        this.length = length;
        this.ownStart = ownStart;
        this.ownEnd = ownEnd;
        int blocks = (length >> BLOCK_BITS) + 1;
        if (blockCount.length < blocks) {
            blockCount = new int[blocks];
            blockLast = new int[blocks];
        }
        blockCount[0] = 0;
        blockLast[0] = -1;
        blocksCounted = 0;
    }

    /** Accounts for the first {@code count} characters being dropped from the window. */
    void drop(int count) {
        int before = newlinesBefore(count);
        if (before > 0) {
            lineAtBase += before;
            lastNewlineBeforeBase = base + lastNewlineBefore(count);
        }
        base += count;
        blocksCounted = 0;
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
        long lastNewline = count == 0 ? lastNewlineBeforeBase : base + lastNewlineBefore(i);
        return clamp(base + i - lastNewline);
    }

    @Override
    long[] spans(int from, int to) {
        return new long[] {base + from, base + to};
    }

    @Override
    boolean truncatedStart() {
        return base > 0 || midInput;
    }

    @Override
    Decoding decoding() {
        return null;
    }

    /** The number of newlines in {@code text[0, i)}. */
    private int newlinesBefore(int i) {
        int block = i >> BLOCK_BITS;
        countBlocks(block);
        return blockCount[block] + Newlines.count(text, block << BLOCK_BITS, i);
    }

    /** The position of the last newline in {@code text[0, i)}, -1 when there is none. */
    private int lastNewlineBefore(int i) {
        int block = i >> BLOCK_BITS;
        countBlocks(block);
        char[] t = text;
        for (int k = i - 1; k >= block << BLOCK_BITS; k--) {
            if (t[k] == '\n') {
                return k;
            }
        }
        return blockLast[block];
    }

    /**
     * Fills {@code blockCount} and {@code blockLast} up to block {@code upTo}: each block's newlines are
     * counted ({@link Newlines}), and the last found by a walk back from the block's end. (Copying a block
     * into a String to search it with {@code indexOf}, the earlier way, was a third cheaper than a plain
     * loop under C2, but costs 4.5 ns per character under C1, which the launcher runs {@code scan} on.)
     */
    private void countBlocks(int upTo) {
        char[] t = text;
        for (int b = blocksCounted; b < upTo; b++) {
            int from = b << BLOCK_BITS;
            int end = from + (1 << BLOCK_BITS);
            int count = Newlines.count(t, from, end);
            int last = -1;
            if (count > 0) {
                last = end - 1;
                while (t[last] != '\n') {
                    last--;
                }
            }
            blockCount[b + 1] = blockCount[b] + count;
            blockLast[b + 1] = last >= 0 ? last : blockLast[b];
        }
        blocksCounted = Math.max(blocksCounted, upTo);
    }

    private static int clamp(long v) {
        return v > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) v;
    }
}
