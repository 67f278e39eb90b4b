package dev.mayfly.scanner;

import dev.mayfly.scanner.rules.Rule;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;

/**
 * Scans one segment: runs the literal prefilter over each view ({@link ReusingPrefilter} when views are
 * decoded); for a rule whose matches start with its anchors, runs the regex once, anchored, at each hit;
 * for other rules collects the windows around the hits (merged when they overlap) and searches only there;
 * all under a step budget. Then looks into decoded views up to the configured depth, where a match the
 * parent view has too is skipped. Matches go to a {@link FindingCollector}, which checks, deduplicates and
 * reports them. One per input; not thread-safe.
 */
final class ChunkScanner implements LiteralAutomaton.HitSink {
    private static final long MIN_BUDGET = 100_000;
    /**
     * Regexes look at characters just outside their match ({@code (?<![A-Za-z0-9])AKIA…}); a character a
     * decoder rewrote there ({@code %3DAKIA…} becoming {@code =AKIA…}) makes a match the parent view lacks,
     * so "unchanged" is judged with this margin around a match.
     */
    private static final int LOOKAROUND = 8;
    /** Characters after the backslash of the longest JSON escape, backslash-u and four hex digits. */
    private static final int JSON_ESCAPE_REACH = 5;
    /** Characters after the {@code %} of a percent escape. */
    private static final int PERCENT_ESCAPE_REACH = 2;

    private final CompiledRules compiled;
    private final Settings settings;
    private final String source;
    private final String path;
    private final ScanListener listener;
    private final boolean[] enabled;
    private final Matcher[] matchers;
    private final Regions[] regions;
    private final IntList touched = new IntList();
    private final BudgetedCharSequence sequence = new BudgetedCharSequence();
    private final FindingCollector findings;
    private final Scratch scratch;
    /** {@code null} when no view is decoded: then the automaton reports straight to the rules. */
    private final ReusingPrefilter prefilter;
    /** The prefilter in use: with the escape patterns when hits are kept for decoded views. */
    private final LiteralAutomaton automaton;
    /** The generic rule's match by hand: its end, the secret's start and end. */
    private final int[] handMatch = new int[3];

    private Segment segment;
    private View view;

    ChunkScanner(CompiledRules compiled, Settings settings, String source, ScanListener listener) {
        this.compiled = compiled;
        this.settings = settings;
        this.source = source;
        this.path = source == null ? "" : source.replace('\\', '/');
        this.listener = listener;
        this.scratch = new Scratch(settings.decodeDepth);
        this.findings = new FindingCollector(compiled.ruleSet, settings.mayflyIssuer, source, path, listener,
                settings.explain);
        int n = compiled.rules.length;
        enabled = new boolean[n];
        matchers = new Matcher[n];
        regions = new Regions[n];
        for (int r = 0; r < n; r++) {
            enabled[r] = compiled.rules[r].appliesToPath(path);
            regions[r] = new Regions();
        }
        prefilter = ReusingPrefilter.forSettings(compiled, settings);
        automaton = prefilter != null ? prefilter.automaton : compiled.automaton;
    }

    /** Reports path-only rules that match this input's path. */
    void reportPathRules() {
        for (int r : compiled.pathOnly) {
            Rule rule = compiled.rules[r];
            if (!enabled[r]) {
                continue;
            }
            findings.reportPathRule(rule);
        }
    }

    void scan(Segment seg) {
        segment = seg;
        if (prefilter != null) {
            prefilter.startSegment(seg instanceof MainSegment);
        }
        findings.startSegment(seg);
        scanView(View.root(seg.text, seg.length));
        findings.endSegment();
        segment = null;
        view = null;
    }

    private void scanView(View v) {
        applyRules(v);
        if (v.depth >= settings.decodeDepth) {
            return;
        }
        // JSON unescaping and percent-decoding commute unless one makes an escape of the other, so
        // percent-then-JSON would repeat the JSON-then-percent view (a whole window, and its subtree) unless
        // the percent-decoding made a new JSON escape. A decoder applied to its own output only has new
        // work where that output made a new escape: the others were decoded already.
        if (settings.decodes(Decoding.JSON_STRING) && (v.decoding != Decoding.PERCENT && v.decoding != Decoding.JSON_STRING
                || v.mayHaveMadeEscape('\\', JSON_ESCAPE_REACH))) {
            View d = prefilter == null ? JsonStringDecoder.decode(v, scratch)
                    : JsonStringDecoder.decode(v, scratch, prefilter.escapeStarts(v, '\\'));
            if (d != null) {
                scanView(d);
            }
        }
        if (settings.decodes(Decoding.PERCENT)
                && (v.decoding != Decoding.PERCENT || v.mayHaveMadeEscape('%', PERCENT_ESCAPE_REACH))) {
            View d = prefilter == null ? PercentDecoder.decode(v, scratch)
                    : PercentDecoder.decode(v, scratch, prefilter.escapeStarts(v, '%'));
            if (d != null) {
                scanView(d);
            }
        }
        if (settings.decodes(Decoding.BASE64)) {
            List<View> decoded = new ArrayList<>();
            if (v.isRoot()) {
                Base64Decoder.decode(v, segment.truncatedStart(), segment.ownStart, segment.ownEnd, decoded);
            } else {
                Base64Decoder.decode(v, segment.truncatedStart(), decoded);
            }
            for (View d : decoded) {
                scanView(d);
            }
        }
    }

    private void applyRules(View v) {
        view = v;
        int from = 0;
        int to = v.length;
        if (v.isRoot()) {
            // Hits further away than the longest rule cannot produce a match this segment owns.
            from = Math.max(0, segment.ownStart - compiled.maxRuleLength - 64);
            to = Math.min(v.length, segment.ownEnd + compiled.maxRuleLength + 64);
        }
        if (automaton != null) {
            if (prefilter == null) {
                automaton.scan(v.text, from, to, this);
            } else {
                // Hits are kept for the decoded views, which cover the whole window: searching all of the
                // root once is cheaper than every contiguous view searching the root's edges again. The
                // far hits fall to hit()'s check of the segment's own stretch.
                PrefilterHits hits = prefilter.hits(v, 0, v.length);
                for (int k = 0; k < hits.size; k++) {
                    long key = hits.keys[k];
                    hit(PrefilterHits.pattern(key), PrefilterHits.end(key));
                }
            }
        }
        for (int t = 0; t < touched.size(); t++) {
            int r = touched.get(t);
            Regions reg = regions[r];
            if (compiled.anchoredAtStart[r]) {
                reg.sortStarts();
                int previous = -1;
                for (int k = 0; k < reg.size; k++) {
                    int at = reg.starts[k];
                    int end = Math.min(v.length, at + compiled.maxLength[r]);
                    if (at != previous && !v.unchangedIn(at - LOOKAROUND, end + LOOKAROUND)) {
                        runAnchored(r, at, end);
                    }
                    previous = at;
                }
            } else {
                for (int k = 0; k < reg.size; k++) {
                    if (!v.unchangedIn(reg.starts[k], reg.ends[k])) {
                        runRegex(r, reg.starts[k], reg.ends[k]);
                    }
                }
            }
            reg.size = 0;
        }
        touched.clear();
        for (int r : compiled.unanchored) {
            if (enabled[r] && !v.unchangedIn(from, to)) {
                runRegex(r, from, to);
            }
        }
    }

    // The three below are the reuse as the scanner drives it, for tests that hold it to a full search
    // (PrefilterReuseTest, CarriedHitsTest, ScannerFuzzTest); only with decoded views on.

    /** As {@link ReusingPrefilter#escapeStarts}. */
    IntList escapeStarts(View v, char c) {
        return prefilter.escapeStarts(v, c);
    }

    /** As {@link ReusingPrefilter#hits}. */
    PrefilterHits prefilter(View v, int from, int to) {
        return prefilter.hits(v, from, to);
    }

    /** The prefilter's hits over the last root view scanned (do not modify). */
    PrefilterHits rootHits() {
        return prefilter.rootHits();
    }

    /**
     * Called once a main window was scanned and its first {@code drop} characters dropped, {@code kept}
     * staying for the next window: lets the next window reuse the hits found in those.
     */
    void carryRootHits(int drop, int kept) {
        if (prefilter != null) {
            prefilter.carryRootHits(drop, kept);
        }
    }

    @Override
    public void hit(int pattern, int end) {
        int start = end - automaton.patternLength(pattern);
        for (int r : compiled.rulesByPattern[pattern]) {
            if (!enabled[r]) {
                continue;
            }
            int reach = compiled.maxLength[r];
            if (compiled.anchoredAtStart[r]) {
                // The match starts here; its secret cannot start before, nor beyond the rule's length.
                if (view.isRoot() && (start + reach <= segment.ownStart || start >= segment.ownEnd)) {
                    continue;
                }
                if (compiled.assignmentPrecheck[r] && !AssignmentPrecheck.operatorMayFollow(view.text, end, view.length)) {
                    continue;
                }
                if (regions[r].addStart(start)) {
                    touched.add(r);
                }
                continue;
            }
            int ws = Math.max(0, start - reach);
            int we = Math.min(view.length, end + reach);
            if (view.isRoot() && (we <= segment.ownStart || ws >= segment.ownEnd)) {
                continue;
            }
            if (regions[r].add(ws, we)) {
                touched.add(r);
            }
        }
    }

    /** Runs a rule's regex once, anchored at {@code from}: the rule's matches start with its anchors. */
    private void runAnchored(int r, int from, int to) {
        if (to <= from) {
            return;
        }
        Rule rule = compiled.rules[r];
        if (compiled.genericMatchedByHand[r]) {
            if (GenericAssignmentMatch.lookingAt(view.text, from, to, view.length, handMatch)) {
                int me = handMatch[0];
                if (!view.unchangedIn(from - LOOKAROUND, me + LOOKAROUND)) {
                    findings.add(rule, view, from, me, handMatch[1], handMatch[2]);
                }
            }
            return;
        }
        Matcher m = matcher(r, from, to);
        sequence.arm(Math.max(MIN_BUDGET, (long) (to - from) * settings.regexStepsPerChar));
        try {
            if (m.lookingAt()) {
                candidate(rule, m);
            }
        } catch (BudgetedCharSequence.RegexBudgetExceeded e) {
            warn(ScanWarning.Code.REGEX_BUDGET_EXCEEDED, rule, from,
                    "rule '" + rule.id() + "' exceeded its regex step budget; a match attempt was skipped");
        } catch (StackOverflowError e) {
            warn(ScanWarning.Code.REGEX_STACK_OVERFLOW, rule, from,
                    "rule '" + rule.id() + "' overflowed the stack in java.util.regex; a match attempt was skipped");
        } finally {
            sequence.disarm();
        }
    }

    private Matcher matcher(int r, int from, int to) {
        sequence.reset(view.text, view.length);
        Matcher m = matchers[r];
        if (m == null) {
            m = compiled.rules[r].regex().orElseThrow().matcher(sequence);
            m.useTransparentBounds(true);
            m.useAnchoringBounds(false);
            matchers[r] = m;
        }
        // region() resets the matcher, and a reset keeps the bounds' settings; the text is always
        // this.sequence, refilled above, so no reset(input) is needed
        m.region(from, to);
        return m;
    }

    /** Searches a window for a rule's matches. */
    private void runRegex(int r, int from, int to) {
        if (to <= from) {
            return;
        }
        Rule rule = compiled.rules[r];
        Matcher m = matcher(r, from, to);
        sequence.arm(Math.max(MIN_BUDGET, (long) (to - from) * settings.regexStepsPerChar));
        try {
            while (m.find()) {
                candidate(rule, m);
            }
        } catch (BudgetedCharSequence.RegexBudgetExceeded e) {
            warn(ScanWarning.Code.REGEX_BUDGET_EXCEEDED, rule, from,
                    "rule '" + rule.id() + "' exceeded its regex step budget; a window was skipped");
        } catch (StackOverflowError e) {
            warn(ScanWarning.Code.REGEX_STACK_OVERFLOW, rule, from,
                    "rule '" + rule.id() + "' overflowed the stack in java.util.regex; a window was skipped");
        } finally {
            sequence.disarm();
        }
    }

    private void candidate(Rule rule, Matcher m) {
        if (view.unchangedIn(m.start() - LOOKAROUND, m.end() + LOOKAROUND)) {
            return; // the parent view has the very same match
        }
        findings.add(rule, view, m);
    }

    private void warn(ScanWarning.Code code, Rule rule, int at, String message) {
        int ss = view.toSegment(Math.min(at, view.length - 1), Math.min(at + 1, view.length))[0];
        listener.warning(new ScanWarning(code, rule.id(), source, segment.line(ss), message));
    }

    /** The merged windows (or, for rules anchored at their start, the match starts) of one rule in a view. */
    private static final class Regions {
        int[] starts = new int[8];
        int[] ends = new int[8];
        int size;

        /** Adds a match start; returns true when the rule had none in this view yet. */
        boolean addStart(int s) {
            if (size == starts.length) {
                starts = Arrays.copyOf(starts, size * 2);
                ends = Arrays.copyOf(ends, size * 2);
            }
            starts[size++] = s;
            return size == 1;
        }

        void sortStarts() {
            Arrays.sort(starts, 0, size);
        }

        /** Adds a window; returns true when the rule had none in this view yet. */
        boolean add(int s, int e) {
            if (size > 0 && s <= ends[size - 1]) {
                ends[size - 1] = Math.max(ends[size - 1], e);
                starts[size - 1] = Math.min(starts[size - 1], s);
                return false;
            }
            if (size == starts.length) {
                starts = Arrays.copyOf(starts, size * 2);
                ends = Arrays.copyOf(ends, size * 2);
            }
            starts[size] = s;
            ends[size] = e;
            size++;
            return size == 1;
        }
    }
}
