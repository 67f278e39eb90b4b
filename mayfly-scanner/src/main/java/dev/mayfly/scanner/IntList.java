package dev.mayfly.scanner;

import java.util.Arrays;

/** A growable list of ints without boxing. */
final class IntList {
    private int[] values = new int[16];
    private int size;

    void add(int v) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = v;
    }

    int get(int i) {
        return values[i];
    }

    /** Drops the values from index {@code size} on. */
    void truncate(int size) {
        this.size = Math.min(this.size, size);
    }

    int size() {
        return size;
    }

    void clear() {
        size = 0;
    }

    /** The backing array: valid up to {@link #size()}, and only until the next {@link #add}. */
    int[] array() {
        return values;
    }

    int[] toArray() {
        return Arrays.copyOf(values, size);
    }
}
