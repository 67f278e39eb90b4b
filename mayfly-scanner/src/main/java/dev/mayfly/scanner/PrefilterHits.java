package dev.mayfly.scanner;

import java.util.Arrays;

/**
 * The literal prefilter's hits over one view, kept while the views decoded from it are scanned so they can
 * reuse them. A hit is packed into a long that sorts the way the automaton reports: by end, then longest
 * pattern first, then pattern id. {@code from} and {@code to} bound the part of the view that was searched:
 * every occurrence inside it is listed, none outside.
 */
final class PrefilterHits implements LiteralAutomaton.HitSink {
    private static final int FIELD = 0xFFFF;

    private final LiteralAutomaton automaton;
    long[] keys = new long[64];
    int size;
    int from;
    int to;

    PrefilterHits(LiteralAutomaton automaton) {
        this.automaton = automaton;
    }

    /** True when every pattern id and length fits the packing. */
    static boolean packable(LiteralAutomaton automaton) {
        if (automaton.patterns() > FIELD) {
            return false;
        }
        for (int p = 0; p < automaton.patterns(); p++) {
            if (automaton.patternLength(p) > FIELD) {
                return false;
            }
        }
        return true;
    }

    void clear(int from, int to) {
        size = 0;
        this.from = from;
        this.to = to;
    }

    @Override
    public void hit(int pattern, int end) {
        add(pattern, end);
    }

    void add(int pattern, int end) {
        if (size == keys.length) {
            keys = Arrays.copyOf(keys, size * 2);
        }
        keys[size++] = (long) end << 32 | (long) (FIELD - automaton.patternLength(pattern)) << 16 | pattern;
    }

    /** Appends a packed hit. */
    void addKey(long key) {
        if (size == keys.length) {
            keys = Arrays.copyOf(keys, size * 2);
        }
        keys[size++] = key;
    }

    /** Appends {@code count} packed hits. */
    void addAll(long[] packed, int count) {
        if (size + count > keys.length) {
            keys = Arrays.copyOf(keys, Math.max(size + count, keys.length * 2));
        }
        System.arraycopy(packed, 0, keys, size, count);
        size += count;
    }

    void sort() {
        Arrays.sort(keys, 0, size);
    }

    static int end(long key) {
        return (int) (key >>> 32);
    }

    /** The length of the hit's pattern. */
    static int length(long key) {
        return FIELD - (int) ((key >>> 16) & FIELD);
    }

    /** The same pattern's hit ending at {@code end}. */
    static long moved(long key, int end) {
        return (long) end << 32 | (key & 0xFFFFFFFFL);
    }

    static int pattern(long key) {
        return (int) (key & FIELD);
    }
}
