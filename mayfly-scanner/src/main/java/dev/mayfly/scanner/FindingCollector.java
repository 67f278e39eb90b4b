package dev.mayfly.scanner;

import dev.mayfly.core.secret.Secret;
import dev.mayfly.scanner.rules.Candidate;
import dev.mayfly.scanner.rules.MayflyFormats;
import dev.mayfly.scanner.rules.Rule;
import dev.mayfly.scanner.rules.RuleSet;
import dev.mayfly.scanner.rules.SecretPrefixes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;

/**
 * Turns one input's rule matches into the findings its listener gets. A match counts only when the segment
 * being scanned owns its secret's first character (overlapping windows see it twice, one owns it) and its
 * rule and the allowlists accept it. The same secret is often matched more than once, in a view and in the
 * views decoded from it, or by two windows' lanes: a (rule, fingerprint, offset) is reported once per
 * input. A segment's findings are held until it ends, so they go out in input order and a generic finding
 * can yield to a specific one over the same characters, which says more about the secret. One per input;
 * not thread-safe.
 */
final class FindingCollector {
    private static final int LINE_CONTEXT = 4096;

    private final RuleSet ruleSet;
    private final String mayflyIssuer;
    private final String source;
    private final String path;
    private final ScanListener listener;
    /** Whether refused matches are reported as suppressions (with their reasons). */
    private final boolean explain;
    private final Set<String> seenSuppressed = new HashSet<>();
    /** Per input, not per segment: the same secret reached through two segments is reported once. */
    private final Set<String> seen = new HashSet<>();
    private final List<Pending> pending = new ArrayList<>();
    private Segment segment;

    /** {@code path} is the input's path with {@code /} separators, as the rules see it. */
    FindingCollector(RuleSet ruleSet, String mayflyIssuer, String source, String path, ScanListener listener) {
        this(ruleSet, mayflyIssuer, source, path, listener, false);
    }

    FindingCollector(RuleSet ruleSet, String mayflyIssuer, String source, String path, ScanListener listener,
            boolean explain) {
        this.explain = explain;
        this.ruleSet = ruleSet;
        this.mayflyIssuer = mayflyIssuer;
        this.source = source;
        this.path = path;
        this.listener = listener;
    }

    /** Reports a path-only rule for this input's path when the rule and the allowlists accept it. */
    void reportPathRule(Rule rule) {
        Candidate c = Candidate.of("", path, path, null, mayflyIssuer);
        if (!rule.accepts(c) || ruleSet.allowlisted(rule, c)) {
            return;
        }
        listener.finding(Finding.builder(rule.id()).description(rule.description()).kind(rule.kind())
                .source(source).start(1, 1).end(1, 1).offset(0).redacted("file detected")
                .fingerprint(Secret.sha256Hex(path).substring(0, Finding.FINGERPRINT_HEX_DIGITS))
                .tags(rule.tags()).build());
    }

    /** Starts collecting a segment's matches; a segment left unfinished by an exception is dropped. */
    void startSegment(Segment s) {
        segment = s;
        pending.clear();
    }

    /**
     * A regex match of {@code rule} in {@code view}. The secret is the rule's secret group or, without one,
     * the first group that matched something, else the whole match (docs/scanner.md, gitleaks rules).
     */
    void add(Rule rule, View view, Matcher m) {
        int gs;
        int ge;
        int group = rule.secretGroup();
        if (group > 0) {
            gs = m.start(group);
            ge = m.end(group);
        } else {
            gs = m.start();
            ge = m.end();
            for (int g = 1; g <= m.groupCount(); g++) {
                if (m.start(g) >= 0 && m.end(g) > m.start(g)) {
                    gs = m.start(g);
                    ge = m.end(g);
                    break;
                }
            }
        }
        add(rule, view, m.start(), m.end(), gs, ge);
    }

    /** A match {@code [ms, me)} of {@code view} with its secret at {@code [gs, ge)}. */
    void add(Rule rule, View view, int ms, int me, int gs, int ge) {
        if (gs < 0 || ge <= gs) {
            return;
        }
        int[] range = view.toSegment(gs, ge);
        int ss = range[0];
        int se = range[1];
        if (ss < segment.ownStart || ss >= segment.ownEnd) {
            return;
        }
        String secret = new String(view.text, gs, ge - gs);
        String match = new String(view.text, ms, me - ms);
        // the line and the text before the match are copied only for the few checks that read them
        Candidate c = Candidate.of(secret, match, path, () -> lineAround(view, ms, me), () -> before(view, ms),
                mayflyIssuer);
        String refusal = null;
        if (explain) {
            refusal = rule.refusal(c);
            if (refusal == null && ruleSet.allowlisted(rule, c)) {
                refusal = "allowlisted by the rule set";
            }
        } else if (!rule.accepts(c) || ruleSet.allowlisted(rule, c)) {
            return;
        }
        String fingerprint = Secret.sha256Hex(secret).substring(0, Finding.FINGERPRINT_HEX_DIGITS);
        long offset = segment.inputStart(ss);
        if (!(refusal == null ? seen : seenSuppressed).add(rule.id() + ':' + fingerprint + ':' + offset)) {
            return;
        }
        List<Decoding> chain = view.chain();
        if (segment.decoding() != null) {
            chain.add(0, segment.decoding());
        }
        boolean mayfly = MayflyFormats.isMayfly(secret, mayflyIssuer);
        Finding f = Finding.builder(rule.id()).description(rule.description()).kind(rule.kind()).source(source)
                .start(segment.line(ss), segment.column(ss))
                .end(segment.line(se - 1), segment.column(se - 1))
                .offset(offset)
                .redacted(SecretPrefixes.visiblePrefix(secret) + Finding.MASK)
                .fingerprint(fingerprint)
                .entropy(c.entropy())
                .tags(rule.tags())
                .decodedFrom(chain)
                .mayflySecret(mayfly && refusal == null ? Secret.of(secret) : null)
                .spans(segment.spans(ss, se))
                .build();
        if (refusal != null) {
            listener.suppressed(new Suppression(f, refusal));
            return;
        }
        pending.add(new Pending(f, rule.generic()));
    }

    /** Reports the segment's findings in input order; generic findings overlapped by specific ones are dropped. */
    void endSegment() {
        pending.sort(Comparator.comparingLong(p -> p.finding.offset()));
        for (Pending p : pending) {
            if (p.generic && overlapsSpecific(p)) {
                if (explain) {
                    listener.suppressed(new Suppression(p.finding,
                            "a generic match over characters a specific rule reported"));
                }
                continue;
            }
            listener.finding(p.finding);
        }
        pending.clear();
        segment = null;
    }

    private boolean overlapsSpecific(Pending g) {
        long[] a = g.finding.spans();
        for (Pending o : pending) {
            if (o.generic) {
                continue;
            }
            long[] b = o.finding.spans();
            for (int i = 0; i < a.length; i += 2) {
                for (int j = 0; j < b.length; j += 2) {
                    if (a[i] < b[j + 1] && b[j] < a[i + 1]) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static String before(View v, int at) {
        int s = at;
        int limit = Math.max(0, at - Candidate.BEFORE_CONTEXT);
        while (s > limit && v.text[s - 1] != '\n') {
            s--;
        }
        return new String(v.text, s, at - s);
    }

    private static String lineAround(View v, int from, int to) {
        int s = from;
        int limit = Math.max(0, from - LINE_CONTEXT);
        while (s > limit && v.text[s - 1] != '\n') {
            s--;
        }
        int e = to;
        int end = Math.min(v.length, to + LINE_CONTEXT);
        while (e < end && v.text[e] != '\n') {
            e++;
        }
        return new String(v.text, s, e - s);
    }

    private static final class Pending {
        final Finding finding;
        final boolean generic;

        Pending(Finding finding, boolean generic) {
            this.finding = finding;
            this.generic = generic;
        }
    }
}
