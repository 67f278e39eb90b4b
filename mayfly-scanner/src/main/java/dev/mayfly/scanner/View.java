package dev.mayfly.scanner;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Text the rules run on: a segment's own characters (the root view) or what a decoder made of a parent
 * view. Each character of a decoded view maps back to the range of its parent it came from
 * ({@code starts[i]} to {@code ends[i]}, or to {@code starts[i + 1]} for contiguous decoders), so every
 * match maps to the segment and from there to the original input. {@code changed} lists the positions a
 * contiguous decoder actually rewrote: a window without any is identical to the parent's and is skipped.
 */
final class View {
    final char[] text;
    final int length;
    final View parent;
    final Decoding decoding;
    final int depth;
    private final int[] starts;
    private final int[] ends;
    private final int[] changed;

    private View(char[] text, int length, View parent, Decoding decoding, int[] starts, int[] ends, int[] changed) {
        this.text = text;
        this.length = length;
        this.parent = parent;
        this.decoding = decoding;
        this.depth = parent == null ? 0 : parent.depth + 1;
        this.starts = starts;
        this.ends = ends;
        this.changed = changed;
    }

    static View root(char[] text, int length) {
        return new View(text, length, null, null, null, null, null);
    }

    /**
     * A contiguous decoding: {@code starts} has {@code length + 1} entries, the last being the parent
     * position after the decoded range; {@code changed} is sorted.
     */
    static View contiguous(View parent, Decoding d, char[] text, int length, int[] starts, int[] changed) {
        return new View(text, length, parent, d, starts, null, changed);
    }

    /** A decoding of a part of the parent, with explicit start and end for every character. */
    static View ranged(View parent, Decoding d, char[] text, int length, int[] starts, int[] ends) {
        return new View(text, length, parent, d, starts, ends, null);
    }

    boolean isRoot() {
        return parent == null;
    }

    /** True when every decoder between the root and this view is contiguous (positions 0 line up). */
    boolean contiguousToRoot() {
        for (View v = this; v.parent != null; v = v.parent) {
            if (v.ends != null) {
                return false;
            }
        }
        return true;
    }

    /** The positions a contiguous decoder rewrote (sorted; do not modify), or {@code null} for root and ranged views. */
    int[] changedPositions() {
        return changed;
    }

    /**
     * For a contiguous decoding, the parent position of each character ({@code length + 1} entries,
     * non-decreasing; do not modify); {@code null} for root and ranged views.
     */
    int[] parentStarts() {
        return ends == null ? starts : null;
    }

    /** True when {@code [from, to)} of this decoded view equals a range of its parent (nothing decoded there). */
    boolean unchangedIn(int from, int to) {
        if (changed == null) {
            return false;
        }
        int i = Arrays.binarySearch(changed, from);
        if (i >= 0) {
            return false;
        }
        int insertion = -i - 1;
        return insertion >= changed.length || changed[insertion] >= to;
    }

    /**
     * True when the decoding that made this view wrote {@code c}, or wrote one of the {@code reach}
     * characters after a {@code c}: whether it may have made a new escape sequence that starts with
     * {@code c} and is at most {@code reach + 1} characters long. An escape made only of characters the
     * decoding left alone was already in the parent view. Every character of a ranged view counts as
     * written.
     */
    boolean mayHaveMadeEscape(char c, int reach) {
        if (changed == null) {
            return parent != null;
        }
        for (int i : changed) {
            for (int k = 0; k <= reach && k <= i; k++) {
                if (text[i - k] == c) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Maps {@code [from, to)} of this view to the root view (the segment); returns {start, end}. */
    int[] toSegment(int from, int to) {
        int a = from;
        int b = to;
        for (View v = this; v.parent != null; v = v.parent) {
            int na = v.starts[a];
            int nb = v.ends == null ? v.starts[b] : v.ends[b - 1];
            a = na;
            b = Math.max(nb, na + 1);
        }
        return new int[] {a, b};
    }

    /** The decoders from the root to this view, outermost first. */
    List<Decoding> chain() {
        List<Decoding> out = new ArrayList<>();
        for (View v = this; v.parent != null; v = v.parent) {
            out.add(v.decoding);
        }
        Collections.reverse(out);
        return out;
    }
}
