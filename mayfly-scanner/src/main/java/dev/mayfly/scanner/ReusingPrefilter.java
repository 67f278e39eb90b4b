package dev.mayfly.scanner;

/**
 * The literal prefilter of a scanner that decodes views, searching as little as it can: most of a decoded
 * view is its parent's text copied unchanged, and most of a main window is what the previous window kept,
 * so their hits are mostly hits already found. A decoded view takes its parent's hits over the stretches its
 * decoder left unchanged and runs the automaton only around rewritten characters; a main window takes the
 * hits carried from the part it shares with the previous window and runs the automaton only past them. The
 * decoders read where escapes may start off the same hits (the escape patterns of
 * {@link CompiledRules#automatonWithEscapes}) instead of walking the view again.
 *
 * <p>What it keeps, whatever it reuses: {@link #hits} lists exactly the hits, in the automaton's order, that a
 * full search of the view over the range asked would. Reuse only changes where the automaton runs.
 *
 * <p>Each view depth has one hit list, valid until the next view of that depth is searched: the views must
 * be searched depth first (a view's parent's hits still the parent's). One per scanner; not thread-safe.
 */
final class ReusingPrefilter {
    /** With the escape patterns: percent and backslash hits are kept for the decoders. */
    final LiteralAutomaton automaton;
    private final int percentPattern;
    private final int backslashPattern;
    /** A decoded view reuses the hits of the depth above it, so one list per depth. */
    private final PrefilterHits[] hitsByDepth;
    /** The longest prefilter literal: how far a hit can reach into a stretch the parent did not search. */
    private final int longestLiteral;
    /** The sorted, disjoint stretches of a decoded view the automaton runs over, as pairs of bounds. */
    private final IntList dirty = new IntList();
    private final IntList escapeStarts = new IntList();
    /**
     * The last main window's root hits that lie wholly in what the next window keeps of it, in that
     * window's positions ({@link #carryRootHits}): the next main window searches only past them.
     */
    private long[] carried = new long[64];
    private int carriedSize;
    /** How many characters the next main window keeps, -1 when nothing is carried. */
    private int carriedEnd = -1;
    /**
     * Whether the segment being scanned is a main window: only main windows follow one another with a
     * shared stretch; a reassembled stream's segment between two of them neither uses nor drops what is
     * carried.
     */
    private boolean mainWindow;

    private ReusingPrefilter(LiteralAutomaton automaton, int depths, int percentPattern, int backslashPattern) {
        this.automaton = automaton;
        this.percentPattern = percentPattern;
        this.backslashPattern = backslashPattern;
        hitsByDepth = new PrefilterHits[depths];
        for (int d = 0; d < depths; d++) {
            hitsByDepth[d] = new PrefilterHits(automaton);
        }
        int longest = 1;
        for (int p = 0; p < automaton.patterns(); p++) {
            longest = Math.max(longest, automaton.patternLength(p));
        }
        longestLiteral = longest;
    }

    /**
     * The prefilter for these rules and settings, or {@code null} when it would have nothing to reuse (no
     * decoded views, or no literals) or its hits do not pack into longs: then the automaton should report
     * straight to the rules.
     */
    static ReusingPrefilter forSettings(CompiledRules compiled, Settings settings) {
        boolean decodesViews = settings.decodeDepth > 0 && (settings.decodes(Decoding.JSON_STRING)
                || settings.decodes(Decoding.PERCENT) || settings.decodes(Decoding.BASE64));
        LiteralAutomaton a = compiled.automatonWithEscapes;
        if (!decodesViews || a == null || !PrefilterHits.packable(a)) {
            return null;
        }
        return new ReusingPrefilter(a, settings.decodeDepth + 1, compiled.percentPattern, compiled.backslashPattern);
    }

    /** Called before each segment's root view: whether it is a main window decides whether carried hits apply. */
    void startSegment(boolean mainWindow) {
        this.mainWindow = mainWindow;
    }

    /**
     * The prefilter's hits over {@code [from, to)} of a view, in the order the automaton reports them. A
     * contiguous decoded view whose parent's hits are at hand runs the automaton only around the characters
     * its decoder rewrote (each widened on both sides by the longest literal containing it, so every
     * occurrence covering one is found) and where the parent was not searched (the root view may have been
     * searched only near its own stretch); every other occurrence covers only unchanged characters
     * and is the parent's, shifted. Each occurrence comes from exactly one of the two: the parent's are
     * taken only when they do not lie wholly inside a stretch the automaton ran over. The list is this
     * depth's, overwritten by the next view of the same depth.
     */
    PrefilterHits hits(View v, int from, int to) {
        PrefilterHits hits = hitsByDepth[v.depth];
        hits.clear(from, to);
        int[] changed = v.changedPositions();
        if (v.isRoot() && mainWindow && carriedEnd >= 0 && from == 0 && carriedEnd <= to) {
            resumeRootHits(v, to, hits);
            return hits;
        }
        if (v.isRoot() || changed == null) {
            automaton.scan(v.text, from, to, hits);
            return hits;
        }
        PrefilterHits parent = hitsByDepth[v.depth - 1];
        int n = v.length;
        int margin = longestLiteral - 1;
        dirty.clear();
        if (n > 0 && v.parentStart(0) < parent.from) {
            addDirty(0, v.firstFromParent(parent.from) + margin, n);
        }
        for (int c : changed) {
            // Only a literal containing the rewritten character can cover it (a quote or newline, the
            // usual JSON escapes, is in none).
            int reach = automaton.longestContaining(v.text[c]);
            if (reach > 0) {
                addDirty(c - reach + 1, c + reach, n);
            }
        }
        if (n > 0 && v.parentStart(n - 1) >= parent.to) {
            addDirty(v.firstFromParent(parent.to) - margin, n, n);
        }
        for (int k = 0; k < dirty.size(); k += 2) {
            automaton.scan(v.text, dirty.get(k), dirty.get(k + 1), hits);
        }
        // A parent occurrence is one of this view's exactly when it lies inside one stretch of unchanged
        // characters (between two rewritten ones), which copies a parent range one to one. The parent's
        // hits come by end and the stretches in order, so one cursor walks both.
        int[] changedAfter = v.changedAfter();
        int[] dirtyBounds = dirty.array();
        int dirtyCount = dirty.size() / 2;
        int m = changed.length;
        int stretch = 0;
        int dirtyAt = 0;
        for (int k = 0; k < parent.size; k++) {
            long key = parent.keys[k];
            int len = PrefilterHits.length(key);
            int pe = PrefilterHits.end(key);
            int viewStart;
            int parentStart;
            int stretchLength;
            while (true) {
                viewStart = stretch == 0 ? 0 : changed[stretch - 1] + 1;
                parentStart = stretch == 0 ? 0 : changedAfter[stretch - 1];
                stretchLength = (stretch < m ? changed[stretch] : n) - viewStart;
                if (stretch == m || parentStart + stretchLength >= pe) {
                    break;
                }
                stretch++;
            }
            int ps = pe - len;
            if (ps < parentStart || pe > parentStart + stretchLength) {
                continue; // it covers a rewritten character's source: not an occurrence here
            }
            int j = viewStart + (ps - parentStart);
            // no later occurrence ends before this one: the cursor below stays behind j
            int lo = j + len - longestLiteral;
            while (dirtyAt < dirtyCount && dirtyBounds[2 * dirtyAt + 1] <= lo) {
                dirtyAt++;
            }
            int d = dirtyAt;
            while (d + 1 < dirtyCount && dirtyBounds[2 * (d + 1)] <= j) {
                d++;
            }
            if (d < dirtyCount && dirtyBounds[2 * d] <= j && j + len <= dirtyBounds[2 * d + 1]) {
                continue; // the automaton ran over it and reported it already
            }
            hits.addKey(PrefilterHits.moved(key, j + len));
        }
        hits.sort();
        return hits;
    }

    /**
     * Where the view's {@code c} ({@code %} or backslash) characters are, from its prefilter hits (the
     * escape patterns) and, outside the stretch they cover, the text. A view's hits outlive the scans of
     * the views decoded from it, but the list returned is shared: read it right before each decoder
     * runs, do not keep it.
     */
    IntList escapeStarts(View v, char c) {
        PrefilterHits hits = hitsByDepth[v.depth];
        IntList out = escapeStarts;
        out.clear();
        char[] t = v.text;
        for (int i = 0; i < hits.from; i++) {
            if (t[i] == c) {
                out.add(i);
            }
        }
        int pattern = c == '%' ? percentPattern : backslashPattern;
        for (int k = 0; k < hits.size; k++) {
            long key = hits.keys[k];
            if (PrefilterHits.pattern(key) == pattern) {
                out.add(PrefilterHits.end(key) - 1);
            }
        }
        for (int i = hits.to; i < v.length; i++) {
            if (t[i] == c) {
                out.add(i);
            }
        }
        return out;
    }

    /** The hits of the last root view searched (do not modify). */
    PrefilterHits rootHits() {
        return hitsByDepth[0];
    }

    /**
     * Called once a main window was scanned and its first {@code drop} characters dropped, {@code kept}
     * staying for the next window: keeps the root hits lying wholly in those, shifted to the next
     * window's positions. Nothing is kept unless the last segment was a main window whose root was
     * searched over all it keeps.
     */
    void carryRootHits(int drop, int kept) {
        carriedEnd = -1;
        carriedSize = 0;
        if (!mainWindow) {
            return;
        }
        PrefilterHits hits = hitsByDepth[0];
        if (hits.from != 0 || hits.to < drop + kept) {
            return; // the root was not searched over all it keeps
        }
        if (carried.length < hits.size) {
            carried = new long[hits.size];
        }
        long shift = (long) drop << 32;
        for (int k = 0; k < hits.size; k++) {
            long key = hits.keys[k];
            int end = PrefilterHits.end(key);
            if (end - PrefilterHits.length(key) >= drop && end <= drop + kept) {
                carried[carriedSize++] = key - shift;
            }
        }
        carriedEnd = kept;
    }

    /**
     * The root hits of a main window that starts with what the last one kept: the carried hits, then a
     * search from the first position an occurrence ending past them can start at (those ending inside
     * the kept part are the carried ones). Both parts come in the automaton's order, so their
     * concatenation does. What was carried is used once.
     */
    private void resumeRootHits(View v, int to, PrefilterHits hits) {
        int keptEnd = carriedEnd;
        carriedEnd = -1;
        hits.addAll(carried, carriedSize);
        int searched = hits.size;
        automaton.scan(v.text, Math.max(0, keptEnd - (longestLiteral - 1)), to, hits);
        int size = searched;
        for (int k = searched; k < hits.size; k++) {
            long key = hits.keys[k];
            if (PrefilterHits.end(key) > keptEnd) {
                hits.keys[size++] = key;
            }
        }
        hits.size = size;
    }

    /**
     * Adds {@code [a, b)} (clipped to the view) to the sorted, disjoint stretches the automaton runs over,
     * merging it with the last ones it reaches (a stretch may grow a little past what was asked: harmless).
     */
    private void addDirty(int a, int b, int n) {
        a = Math.max(0, a);
        b = Math.min(n, b);
        if (b <= a) {
            return;
        }
        int size = dirty.size();
        while (size > 0 && a <= dirty.get(size - 1)) {
            a = Math.min(a, dirty.get(size - 2));
            b = Math.max(b, dirty.get(size - 1));
            size -= 2;
        }
        dirty.truncate(size);
        dirty.add(a);
        dirty.add(b);
    }
}
