package dev.mayfly.scanner;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Mayfly's literal prefilter: an Aho-Corasick automaton compiled to a dense DFA over equivalence classes
 * of characters, matching ASCII case-insensitively. One pass over the text reports every occurrence of
 * every pattern, by end position, in increasing order. Characters outside the patterns' alphabet
 * (including all non-ASCII) share class 0.
 *
 * <p>The inner loop is one table load per character: the class table covers all 65536 chars, transition
 * entries hold the next state's row offset, and the states with outputs have the last rows, so noticing
 * one is a comparison beside the chain of loads rather than a masking step in it.
 * Immutable and thread-safe once built.
 */
final class LiteralAutomaton {
    /** Receives hits; {@code end} is exclusive. */
    interface HitSink {
        void hit(int pattern, int end);
    }

    /** Ranges shorter than this are walked in one pass. */
    static final int SPLIT_MIN = 4096;

    private final int[] lengths;
    /** The longest pattern. */
    private final int longest;
    /** The DFA as the scan loop reads it: the row offset of the next state. */
    private final int[] table;
    /** Rows from this offset on belong to states with outputs. */
    private final int firstOutputRow;
    private final byte[] charClass = new byte[65536];
    /** Pattern ids reported on entering a state, indexed by the state's row offset. */
    private final int[][] outputsByOffset;
    /** Per ASCII character (either case), the longest pattern containing it; 0 when none does. */
    private final int[] longestContaining = new int[128];

    private LiteralAutomaton(List<String> patterns) {
        int[] classOf = new int[128];
        lengths = new int[patterns.size()];
        int cls = 1;
        for (String p : patterns) {
            for (int i = 0; i < p.length(); i++) {
                char c = lower(p.charAt(i));
                if (c >= 128) {
                    throw new IllegalArgumentException("prefilter patterns are ASCII");
                }
                if (classOf[c] == 0) {
                    classOf[c] = cls++;
                }
            }
        }
        for (char c = 'A'; c <= 'Z'; c++) {
            classOf[c] = classOf[c + 32];
        }
        int classes = cls;

        // trie
        List<int[]> gotoTable = new ArrayList<>();
        List<List<Integer>> own = new ArrayList<>();
        gotoTable.add(newRow(classes));
        own.add(new ArrayList<>());
        for (int p = 0; p < patterns.size(); p++) {
            String s = patterns.get(p);
            lengths[p] = s.length();
            for (int i = 0; i < s.length(); i++) {
                char lc = lower(s.charAt(i));
                longestContaining[lc] = Math.max(longestContaining[lc], s.length());
                if (lc >= 'a' && lc <= 'z') {
                    longestContaining[lc - 32] = longestContaining[lc];
                }
            }
            int state = 0;
            for (int i = 0; i < s.length(); i++) {
                int c = classOf[lower(s.charAt(i))];
                int to = gotoTable.get(state)[c];
                if (to < 0) {
                    to = gotoTable.size();
                    gotoTable.add(newRow(classes));
                    own.add(new ArrayList<>());
                    gotoTable.get(state)[c] = to;
                }
                state = to;
            }
            own.get(state).add(p);
        }

        int max = 0;
        for (int len : lengths) {
            max = Math.max(max, len);
        }
        longest = max;

        // failure links, breadth first, folded into a full transition table
        int states = gotoTable.size();
        int[] next = new int[states * classes];
        int[] fail = new int[states];
        int[][] outputs = new int[states][];
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        for (int c = 0; c < classes; c++) {
            int to = gotoTable.get(0)[c];
            if (to < 0) {
                next[c] = 0;
            } else {
                next[c] = to;
                fail[to] = 0;
                queue.add(to);
            }
        }
        outputs[0] = toArray(own.get(0), null);
        while (!queue.isEmpty()) {
            int s = queue.poll();
            outputs[s] = toArray(own.get(s), outputs[fail[s]]);
            for (int c = 0; c < classes; c++) {
                int to = gotoTable.get(s)[c];
                if (to < 0) {
                    next[s * classes + c] = next[fail[s] * classes + c];
                } else {
                    next[s * classes + c] = to;
                    fail[to] = next[fail[s] * classes + c];
                    queue.add(to);
                }
            }
        }
        if (classes > 127) {
            throw new IllegalArgumentException("too many distinct prefilter characters");
        }
        for (int c = 0; c < 128; c++) {
            charClass[c] = (byte) classOf[c];
        }
        // States with outputs get the last rows, so "entered a state with outputs" is a comparison with
        // the first such row, off the chain of dependent table loads (the initial state has none: row 0).
        int[] order = new int[states];
        int rows = 0;
        for (int st = 0; st < states; st++) {
            if (outputs[st] == null) {
                order[st] = rows++;
            }
        }
        firstOutputRow = rows * classes;
        for (int st = 0; st < states; st++) {
            if (outputs[st] != null) {
                order[st] = rows++;
            }
        }
        table = new int[next.length];
        outputsByOffset = new int[states * classes][];
        for (int st = 0; st < states; st++) {
            int row = order[st] * classes;
            for (int c = 0; c < classes; c++) {
                table[row + c] = order[next[st * classes + c]] * classes;
            }
            outputsByOffset[row] = outputs[st];
        }
    }

    static LiteralAutomaton build(List<String> patterns) {
        return new LiteralAutomaton(patterns);
    }

    int patternLength(int pattern) {
        return lengths[pattern];
    }

    /**
     * The longest pattern that contains {@code c} (ASCII case-insensitively), 0 when none does: an
     * occurrence covering a position holding {@code c} lies within this many characters of it.
     */
    int longestContaining(char c) {
        return c < 128 ? longestContaining[c] : 0;
    }

    int patterns() {
        return lengths.length;
    }

    /**
     * Reports every pattern occurrence ending in {@code (from, to]}, scanning {@code text[from, to)}, in
     * increasing order of end. A long range is walked as two halves at once: each character costs a
     * table load that depends on the previous one, and two independent chains keep the core busy where
     * one waits on memory. The second half starts from the initial state {@link #longest} characters
     * early (no state remembers more than that), reports only what ends past the middle, and its hits
     * are held back until the first half's are out, so the sink sees exactly what one pass reports.
     */
    void scan(char[] text, int from, int to, HitSink sink) {
        if (to - from < SPLIT_MIN) {
            scanOne(text, from, to, sink);
            return;
        }
        int mid = from + (to - from) / 2;
        int i2 = Math.max(from, mid - longest);
        int[] t = table;
        byte[] cls = charClass;
        int outputRow = firstOutputRow;
        int[] held = new int[64];
        int heldSize = 0;
        int row1 = 0;
        int row2 = 0;
        int i1 = from;
        for (; i1 < mid; i1++, i2++) {
            row1 = t[row1 + cls[text[i1]]];
            row2 = t[row2 + cls[text[i2]]];
            if (((outputRow - 1 - row1) | (outputRow - 1 - row2)) < 0) {
                if (row1 >= outputRow) {
                    for (int p : outputsByOffset[row1]) {
                        sink.hit(p, i1 + 1);
                    }
                }
                if (row2 >= outputRow && i2 >= mid) {
                    for (int p : outputsByOffset[row2]) {
                        if (heldSize + 2 > held.length) {
                            held = Arrays.copyOf(held, held.length * 2);
                        }
                        held[heldSize++] = p;
                        held[heldSize++] = i2 + 1;
                    }
                }
            }
        }
        for (int k = 0; k < heldSize; k += 2) {
            sink.hit(held[k], held[k + 1]);
        }
        scanOne(text, i2, to, row2, sink);
    }

    /** {@link #scan} in one pass. */
    void scanOne(char[] text, int from, int to, HitSink sink) {
        scanOne(text, from, to, 0, sink);
    }

    /** Walks {@code text[from, to)} from the state at {@code row}. */
    private void scanOne(char[] text, int from, int to, int row, HitSink sink) {
        int[] t = table;
        byte[] cls = charClass;
        int outputRow = firstOutputRow;
        for (int i = from; i < to; i++) {
            row = t[row + cls[text[i]]];
            if (row >= outputRow) {
                for (int p : outputsByOffset[row]) {
                    sink.hit(p, i + 1);
                }
            }
        }
    }

    private static int[] newRow(int width) {
        int[] row = new int[width];
        Arrays.fill(row, -1);
        return row;
    }

    private static int[] toArray(List<Integer> own, int[] inherited) {
        int n = own.size() + (inherited == null ? 0 : inherited.length);
        if (n == 0) {
            return null;
        }
        int[] out = new int[n];
        int i = 0;
        for (int p : own) {
            out[i++] = p;
        }
        if (inherited != null) {
            System.arraycopy(inherited, 0, out, i, inherited.length);
        }
        return out;
    }

    private static char lower(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
    }
}
