package dev.mayfly.scanner;

import java.util.ArrayList;
import java.util.List;

/**
 * What one event line asks of the streams: feed a string to a lane, end a lane, end every lane under a
 * prefix. Recorded first and applied after, so a line the fast reading gives up on half-way has changed
 * nothing; tests compare the records of the two readings. Reused line after line; not thread-safe.
 */
final class LaneOps {
    static final byte FEED = 0;
    static final byte END = 1;
    static final byte END_ALL = 2;

    byte[] kinds = new byte[8];
    String[] keys = new String[8];
    /** For {@link #FEED}: the string's content {@code [start, end)} in the line, still escaped. */
    int[] starts = new int[8];
    int[] ends = new int[8];
    int size;

    void clear() {
        for (int i = 0; i < size; i++) {
            keys[i] = null;
        }
        size = 0;
    }

    void feed(String key, int start, int end) {
        add(FEED, key, start, end);
    }

    void end(String key) {
        add(END, key, 0, 0);
    }

    void endAll(String prefix) {
        add(END_ALL, prefix, 0, 0);
    }

    private void add(byte kind, String key, int start, int end) {
        if (size == kinds.length) {
            int n = size * 2;
            kinds = java.util.Arrays.copyOf(kinds, n);
            keys = java.util.Arrays.copyOf(keys, n);
            starts = java.util.Arrays.copyOf(starts, n);
            ends = java.util.Arrays.copyOf(ends, n);
        }
        kinds[size] = kind;
        keys[size] = key;
        starts[size] = start;
        ends[size] = end;
        size++;
    }

    /** For tests and messages: one entry per operation. */
    List<String> describe() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            switch (kinds[i]) {
                case FEED:
                    out.add("feed " + keys[i] + " [" + starts[i] + "," + ends[i] + ")");
                    break;
                case END:
                    out.add("end " + keys[i]);
                    break;
                default:
                    out.add("endAll " + keys[i]);
            }
        }
        return out;
    }
}
