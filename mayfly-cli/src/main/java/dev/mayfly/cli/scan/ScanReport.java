package dev.mayfly.cli.scan;

import dev.mayfly.scanner.Finding;
import dev.mayfly.scanner.ScanResult;
import dev.mayfly.scanner.ScanWarning;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The outcome of one {@code mayfly scan}: the scanner's result for each input, in input order, and what
 * the directory walk skipped. The scanner merges only what it walks itself, so the CLI, which names its
 * own inputs and skips binary files, keeps the per-input results and merges them for the reports
 * ({@link CombinedReport}). Never holds a secret except behind
 * {@link Finding#mayflySecret()}. Immutable.
 */
final class ScanReport {
    private final List<ScanResult> results;
    private final List<ScanInputs.Skipped> skipped;
    private final ScanResult merged;

    ScanReport(List<ScanResult> results, List<ScanInputs.Skipped> skipped) {
        this.results = List.copyOf(results);
        this.skipped = List.copyOf(skipped);
        this.merged = ScanResult.merge(this.results);
    }

    List<ScanResult> results() {
        return results;
    }

    List<ScanInputs.Skipped> skipped() {
        return skipped;
    }

    /** Every input's findings and warnings as one result, what the scanner's report writers take. */
    ScanResult merged() {
        return merged;
    }

    List<Finding> findings() {
        List<Finding> out = new ArrayList<>();
        results.forEach(r -> out.addAll(r.findings()));
        return out;
    }

    List<ScanWarning> warnings() {
        List<ScanWarning> out = new ArrayList<>();
        results.forEach(r -> out.addAll(r.warnings()));
        return out;
    }

    /** Mayfly's own credentials, the first finding of each distinct secret: what {@code --revoke} reports. */
    List<Finding> mayflyFindings() {
        Map<String, Finding> first = new LinkedHashMap<>();
        for (Finding f : findings()) {
            f.mayflySecret().ifPresent(s -> first.putIfAbsent(s.sha256Hex(), f));
        }
        return List.copyOf(first.values());
    }

    boolean isClean() {
        return results.stream().allMatch(ScanResult::isClean);
    }

    int findingCount() {
        return results.stream().mapToInt(r -> r.findings().size()).sum();
    }

    int mayflyCount() {
        return results.stream().mapToInt(r -> r.mayflyFindings().size()).sum();
    }

    int sources() {
        return results.stream().mapToInt(ScanResult::sources).sum();
    }

    /**
     * The JSON report: the shape of {@link ScanResult#toMap()} over all inputs, plus {@code skipped}
     * (what the directory walk passed over, and why) and its count in the summary; with {@code --explain},
     * {@code suppressed} (the matches rules refused, with reasons) and its count.
     */
    Map<String, Object> toMap() {
        List<Object> findings = new ArrayList<>();
        List<Object> warnings = new ArrayList<>();
        List<Object> suppressed = new ArrayList<>();
        for (ScanResult r : results) {
            r.findings().forEach(f -> findings.add(f.toMap()));
            r.warnings().forEach(w -> warnings.add(w.toMap()));
            r.suppressed().forEach(x -> suppressed.add(x.toMap()));
        }
        List<Object> passed = new ArrayList<>();
        skipped.forEach(s -> passed.add(s.toMap()));
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("sources", sources());
        summary.put("chars", results.stream().mapToLong(ScanResult::chars).sum());
        summary.put("findings", findingCount());
        summary.put("mayfly", mayflyCount());
        summary.put("skipped", skipped.size());
        if (!suppressed.isEmpty()) {
            summary.put("suppressed", suppressed.size());
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("clean", isClean());
        m.put("findings", findings);
        m.put("warnings", warnings);
        m.put("skipped", passed);
        if (!suppressed.isEmpty()) {
            m.put("suppressed", suppressed);
        }
        m.put("summary", summary);
        return m;
    }

    /** "3 secrets found (1 Mayfly credential)". */
    String headline() {
        int n = findingCount();
        int mayfly = mayflyCount();
        return n + (n == 1 ? " secret" : " secrets") + " found"
                + (mayfly > 0 ? " (" + mayfly + (mayfly == 1 ? " Mayfly credential)" : " Mayfly credentials)") : "");
    }
}
