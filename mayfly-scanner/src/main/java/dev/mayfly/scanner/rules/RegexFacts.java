package dev.mayfly.scanner.rules;

import java.util.Set;

/**
 * What the literal prefilter needs to know about a rule's regex: literals of which every match contains
 * at least one (lower-case ASCII; empty when none could be derived), whether every match starts with one
 * of them (then the regex runs anchored at each occurrence, once), and the longest possible match
 * ({@link #UNBOUNDED} when the regex has no upper bound).
 */
final class RegexFacts {
    static final int UNBOUNDED = -1;
    static final RegexFacts NONE = new RegexFacts(Set.of(), false, UNBOUNDED);

    final Set<String> anchors;
    final boolean prefixes;
    final int maxLength;

    RegexFacts(Set<String> anchors, boolean prefixes, int maxLength) {
        this.anchors = Set.copyOf(anchors);
        this.prefixes = prefixes;
        this.maxLength = maxLength;
    }
}
