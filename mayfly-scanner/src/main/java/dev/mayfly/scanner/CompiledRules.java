package dev.mayfly.scanner;

import dev.mayfly.scanner.rules.Rule;
import dev.mayfly.scanner.rules.RuleSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A rule set ready to scan with: the prefilter automaton over every rule's anchors, which rules each
 * anchor belongs to, the rules that have no anchor (their regex runs over whole windows), path-only rules,
 * and the window overlap the longest rule needs. Immutable and thread-safe.
 */
final class CompiledRules {
    /** Windows overlap at least this much, so context before and after a match is always there. */
    static final int MIN_OVERLAP = 4096;

    final RuleSet ruleSet;
    final Rule[] rules;
    final int[] maxLength;
    final boolean[] anchoredAtStart;
    /** Rules whose regex is the built-in generic one: {@link AssignmentPrecheck} runs before the regex. */
    final boolean[] assignmentPrecheck;
    /** Rules whose regex is the built-in generic one with its secret group: {@link GenericAssignmentMatch} matches. */
    final boolean[] genericMatchedByHand;
    final LiteralAutomaton automaton;
    /**
     * The prefilter plus two one-character patterns, {@code %} and backslash, which no rule listens to:
     * with it a view's hits also say where its percent and JSON escapes may start, so the decoders copy
     * between those positions instead of walking every character again. {@code null} when
     * {@link #automaton} is.
     */
    final LiteralAutomaton automatonWithEscapes;
    /** The pattern ids of {@code %} and backslash in {@link #automatonWithEscapes}. */
    final int percentPattern;
    final int backslashPattern;
    /** The rules each pattern belongs to; empty for the escape patterns. */
    final int[][] rulesByPattern;
    final int[] unanchored;
    final int[] pathOnly;
    final int maxRuleLength;
    final int overlap;

    CompiledRules(RuleSet ruleSet) {
        this.ruleSet = ruleSet;
        List<Rule> list = ruleSet.rules();
        rules = list.toArray(new Rule[0]);
        maxLength = new int[rules.length];
        anchoredAtStart = new boolean[rules.length];
        assignmentPrecheck = new boolean[rules.length];
        genericMatchedByHand = new boolean[rules.length];
        Map<String, List<Integer>> byAnchor = new LinkedHashMap<>();
        List<Integer> none = new ArrayList<>();
        List<Integer> paths = new ArrayList<>();
        int longest = 0;
        for (int r = 0; r < rules.length; r++) {
            Rule rule = rules[r];
            maxLength[r] = rule.maxLength();
            anchoredAtStart[r] = rule.anchoredAtStart();
            assignmentPrecheck[r] = rule.anchoredAtStart() && AssignmentPrecheck.appliesTo(rule);
            genericMatchedByHand[r] = assignmentPrecheck[r] && rule.secretGroup() == 2;
            if (rule.pathOnly()) {
                paths.add(r);
                continue;
            }
            longest = Math.max(longest, rule.maxLength());
            if (rule.anchors().isEmpty()) {
                none.add(r);
            }
            for (String a : rule.anchors()) {
                byAnchor.computeIfAbsent(a, k -> new ArrayList<>()).add(r);
            }
        }
        List<String> patterns = new ArrayList<>(byAnchor.keySet());
        automaton = patterns.isEmpty() ? null : LiteralAutomaton.build(patterns);
        percentPattern = patterns.size();
        backslashPattern = patterns.size() + 1;
        List<String> withEscapes = new ArrayList<>(patterns);
        withEscapes.add("%");
        withEscapes.add("\\");
        automatonWithEscapes = automaton == null ? null : LiteralAutomaton.build(withEscapes);
        rulesByPattern = new int[withEscapes.size()][];
        for (int p = 0; p < rulesByPattern.length; p++) {
            rulesByPattern[p] = p < patterns.size() ? toArray(byAnchor.get(patterns.get(p))) : new int[0];
        }
        unanchored = toArray(none);
        pathOnly = toArray(paths);
        maxRuleLength = longest;
        overlap = Math.max(MIN_OVERLAP, 2 * longest + 1024);
    }

    private static int[] toArray(List<Integer> list) {
        int[] out = new int[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = list.get(i);
        }
        return out;
    }
}
