package dev.mayfly.scanner;

/**
 * Counts and finds {@code '\n'} in a range of characters, four at a time: their minimum above {@code '\n'} (in most
 * text only tab and control characters are below it) rules out a newline with one branch, else the four are
 * counted one by one. The launcher runs {@code scan} on C1, which neither unrolls loops nor turns
 * {@code String.indexOf} into vector code: measured there over an app log, a plain loop took about 1.1 ns
 * per character, a copy into a String searched with {@code indexOf} about 4.5, and this about 0.5.
 */
final class Newlines {
    private Newlines() {
    }

    /** The number of newlines in {@code t[from, to)}. */
    static int count(char[] t, int from, int to) {
        int count = 0;
        int k = from;
        for (int stop = to - 3; k < stop; k += 4) {
            char c0 = t[k];
            char c1 = t[k + 1];
            char c2 = t[k + 2];
            char c3 = t[k + 3];
            if (Math.min(Math.min(c0, c1), Math.min(c2, c3)) <= '\n') {
                count += (c0 == '\n' ? 1 : 0) + (c1 == '\n' ? 1 : 0) + (c2 == '\n' ? 1 : 0) + (c3 == '\n' ? 1 : 0);
            }
        }
        for (; k < to; k++) {
            if (t[k] == '\n') {
                count++;
            }
        }
        return count;
    }

    /** The position of the first newline in {@code t[from, to)}, or {@code to} when there is none. */
    static int next(char[] t, int from, int to) {
        int k = from;
        for (int stop = to - 3; k < stop; k += 4) {
            if (Math.min(Math.min(t[k], t[k + 1]), Math.min(t[k + 2], t[k + 3])) <= '\n') {
                break;
            }
        }
        while (k < to && t[k] != '\n') {
            k++;
        }
        return k;
    }
}
