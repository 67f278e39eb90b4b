package dev.mayfly.scanner;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Text the rules run on: a segment's own characters (the root view) or what a decoder made of a parent
 * view. Each character of a decoded view maps back to the range of its parent it came from, so every match
 * maps to the segment and from there to the original input. A ranged view (a decoding of part of the
 * parent) lists {@code starts[i]} and {@code ends[i]} for every character. A contiguous view (a decoding of
 * the whole parent) lists only the positions its decoder rewrote, {@code changed}, with the parent position
 * each came from and the one the next character comes from: every other character is a one-to-one copy,
 * so its parent position follows from the nearest rewritten one before it. A window without rewritten
 * characters is identical to the parent's and is skipped.
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
    /** Per rewritten character: its parent position, and the parent position of the character after it. */
    private final int[] changedFrom;
    private final int[] changedAfter;

    private View(char[] text, int length, View parent, Decoding decoding, int[] starts, int[] ends, int[] changed,
            int[] changedFrom, int[] changedAfter) {
        this.text = text;
        this.length = length;
        this.parent = parent;
        this.decoding = decoding;
        this.depth = parent == null ? 0 : parent.depth + 1;
        this.starts = starts;
        this.ends = ends;
        this.changed = changed;
        this.changedFrom = changedFrom;
        this.changedAfter = changedAfter;
    }

    static View root(char[] text, int length) {
        return new View(text, length, null, null, null, null, null, null, null);
    }

    /**
     * A contiguous decoding of the whole parent: {@code changed} (sorted) are the positions the decoder
     * rewrote, {@code from[k]} the parent position {@code changed[k]} came from and {@code after[k]} the
     * parent position of the character after it (the parent's length after the last one). Every other
     * character copies one parent character.
     */
    static View contiguous(View parent, Decoding d, char[] text, int length, int[] changed, int[] from, int[] after) {
        return new View(text, length, parent, d, null, null, changed, from, after);
    }

    /** A decoding of a part of the parent, with explicit start and end for every character. */
    static View ranged(View parent, Decoding d, char[] text, int length, int[] starts, int[] ends) {
        return new View(text, length, parent, d, starts, ends, null, null, null);
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

    /** For a contiguous view, the parent position of each rewritten character (do not modify). */
    int[] changedFrom() {
        return changedFrom;
    }

    /** For a contiguous view, the parent position after each rewritten character (do not modify). */
    int[] changedAfter() {
        return changedAfter;
    }

    /**
     * The parent position character {@code i} of a decoded view came from ({@code i == length} of a
     * contiguous view: the parent's length).
     */
    int parentStart(int i) {
        if (changed == null) {
            return starts[i];
        }
        int k = Arrays.binarySearch(changed, i);
        if (k >= 0) {
            return changedFrom[k];
        }
        int before = -k - 2; // the last rewritten position below i
        return before < 0 ? i : changedAfter[before] + (i - changed[before] - 1);
    }

    /**
     * For a contiguous view, the first position in {@code [0, length)} whose parent position is at least
     * {@code value}, or {@code length}.
     */
    int firstFromParent(int value) {
        int lo = 0;
        int hi = length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (parentStart(mid) < value) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
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
            int na = v.parentStart(a);
            int nb = v.ends == null ? v.parentStart(b) : v.ends[b - 1];
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
