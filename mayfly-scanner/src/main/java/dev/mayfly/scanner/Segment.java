package dev.mayfly.scanner;

/**
 * A window of characters being scanned, with the part it owns: a match is reported by the window that
 * owns the position of its first character, so overlapping windows report each secret exactly once. It
 * maps its positions to the original input (offsets, line and column). Not thread-safe.
 */
abstract class Segment {
    char[] text;
    int length;
    int ownStart;
    int ownEnd;

    /** Offset in the input of the first character that character {@code i} was read from. */
    abstract long inputStart(int i);

    /** 1-based line of character {@code i}. */
    abstract int line(int i);

    /** 1-based column of character {@code i}. */
    abstract int column(int i);

    /** Input ranges {@code [start, end)} holding characters {@code [from, to)}, as a flat array of pairs. */
    abstract long[] spans(int from, int to);

    /** True when characters before position 0 were dropped (a base64 run there may be misaligned). */
    abstract boolean truncatedStart();

    /** The decoder that produced this segment's characters, or {@code null} for the input itself. */
    abstract Decoding decoding();
}
