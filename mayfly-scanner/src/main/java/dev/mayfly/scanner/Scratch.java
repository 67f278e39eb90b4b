package dev.mayfly.scanner;

/**
 * Reusable text buffers for the views of contiguous decoders, one per decode depth: at any time at most one
 * such view per depth is alive (siblings are scanned one after the other), so a scan allocates them once
 * instead of once per window. Not thread-safe: one per scan.
 */
final class Scratch {
    private final char[][] chars;

    Scratch(int depths) {
        chars = new char[depths + 1][];
    }

    char[] chars(int depth, int length) {
        if (chars[depth] == null || chars[depth].length < length) {
            chars[depth] = new char[Math.max(length, chars[depth] == null ? 0 : chars[depth].length * 3 / 2)];
        }
        return chars[depth];
    }
}
