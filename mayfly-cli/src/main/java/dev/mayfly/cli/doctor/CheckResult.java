package dev.mayfly.cli.doctor;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A check's verdict: {@code pass}, {@code warn} or {@code fail}, a one-line summary, and the evidence it
 * rests on (numbers carry their unit in the key: {@code skew_ms}, {@code verifier_ms}...). Immutable.
 */
record CheckResult(String id, Status status, String summary, Map<String, Object> evidence) {

    /** A check's outcome. */
    enum Status {
        PASS, WARN, FAIL;

        String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    CheckResult {
        evidence = Collections.unmodifiableMap(new LinkedHashMap<>(evidence));
    }

    static CheckResult pass(String id, String summary, Map<String, Object> evidence) {
        return new CheckResult(id, Status.PASS, summary, evidence);
    }

    static CheckResult warn(String id, String summary, Map<String, Object> evidence) {
        return new CheckResult(id, Status.WARN, summary, evidence);
    }

    static CheckResult fail(String id, String summary, Map<String, Object> evidence) {
        return new CheckResult(id, Status.FAIL, summary, evidence);
    }

    static CheckResult of(Status status, String id, String summary, Map<String, Object> evidence) {
        return new CheckResult(id, status, summary, evidence);
    }

    /** As it appears in doctor's {@code data.checks[]}. */
    Map<String, Object> toView() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("status", status.wireName());
        m.put("summary", summary);
        m.put("evidence", evidence);
        return m;
    }
}
