package dev.mayfly.scanner;

import dev.mayfly.core.secret.Secret;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The outcome of scanning one or more inputs: findings ordered by source, line and column, warnings, and
 * counts. Immutable and thread-safe.
 */
public final class ScanResult {
    private static final Comparator<Finding> ORDER = Comparator.comparing(Finding::source)
            .thenComparingLong(Finding::offset).thenComparing(Finding::ruleId);

    private final List<Finding> findings;
    private final List<ScanWarning> warnings;
    private final List<Suppression> suppressed;
    private final int sources;
    private final long chars;

    ScanResult(List<Finding> findings, List<ScanWarning> warnings, int sources, long chars) {
        this(findings, warnings, List.of(), sources, chars);
    }

    ScanResult(List<Finding> findings, List<ScanWarning> warnings, List<Suppression> suppressed, int sources,
            long chars) {
        List<Finding> sorted = new ArrayList<>(findings);
        sorted.sort(ORDER);
        this.findings = List.copyOf(sorted);
        this.warnings = List.copyOf(warnings);
        List<Suppression> refused = new ArrayList<>(suppressed);
        refused.sort(Comparator.comparing(Suppression::candidate, ORDER));
        this.suppressed = List.copyOf(refused);
        this.sources = sources;
        this.chars = chars;
    }

    /**
     * One result for several inputs' results: every finding and warning (findings re-ordered by source and
     * position), sources and characters summed. A caller that scans its inputs one at a time (the CLI)
     * merges them to write one report.
     */
    public static ScanResult merge(List<ScanResult> parts) {
        List<Finding> f = new ArrayList<>();
        List<ScanWarning> w = new ArrayList<>();
        List<Suppression> x = new ArrayList<>();
        int s = 0;
        long c = 0;
        for (ScanResult r : parts) {
            f.addAll(r.findings);
            w.addAll(r.warnings);
            x.addAll(r.suppressed);
            s += r.sources;
            c += r.chars;
        }
        return new ScanResult(f, w, x, s, c);
    }

    public List<Finding> findings() {
        return findings;
    }

    public List<ScanWarning> warnings() {
        return warnings;
    }

    /**
     * The matches rules refused, each with its reason, in the findings' order; empty unless the scanner
     * was built with {@link SecretScanner.Builder#explain(boolean)}.
     */
    public List<Suppression> suppressed() {
        return suppressed;
    }

    /** True when nothing was found (warnings do not count). */
    public boolean isClean() {
        return findings.isEmpty();
    }

    /** Number of inputs scanned (files, streams). */
    public int sources() {
        return sources;
    }

    /** Characters scanned. */
    public long chars() {
        return chars;
    }

    /** The findings that are Mayfly's own credentials. */
    public List<Finding> mayflyFindings() {
        List<Finding> out = new ArrayList<>();
        for (Finding f : findings) {
            if (f.isMayfly()) {
                out.add(f);
            }
        }
        return out;
    }

    /** Mayfly's own credentials found, each once, in order of first appearance: what to report for revocation. */
    public List<Secret> mayflySecrets() {
        Set<Secret> distinct = new LinkedHashSet<>();
        for (Finding f : findings) {
            f.mayflySecret().ifPresent(distinct::add);
        }
        return List.copyOf(distinct);
    }

    /** The report form ({@code data} of the CLI envelope). Never contains a secret. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("clean", isClean());
        List<Map<String, Object>> f = new ArrayList<>();
        for (Finding x : findings) {
            f.add(x.toMap());
        }
        m.put("findings", f);
        List<Map<String, Object>> w = new ArrayList<>();
        for (ScanWarning x : warnings) {
            w.add(x.toMap());
        }
        m.put("warnings", w);
        if (!suppressed.isEmpty()) {
            List<Map<String, Object>> x = new ArrayList<>();
            for (Suppression s : suppressed) {
                x.add(s.toMap());
            }
            m.put("suppressed", x);
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("sources", sources);
        summary.put("chars", chars);
        summary.put("findings", findings.size());
        summary.put("mayfly", mayflyFindings().size());
        if (!suppressed.isEmpty()) {
            summary.put("suppressed", suppressed.size());
        }
        m.put("summary", summary);
        return m;
    }

    @Override
    public String toString() {
        return "ScanResult[" + findings.size() + " findings, " + warnings.size() + " warnings, " + sources + " sources]";
    }
}
