package dev.mayfly.cli.scan;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyError;
import dev.mayfly.scanner.Finding;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code mayfly scan --revoke} did with each Mayfly credential it found: the broker's answer
 * ({@code revoked}, {@code already_reported} with the first report's status, {@code already_revoked},
 * {@code expired}, {@code unknown}, {@code not_mayfly}, {@code not_revocable}) or the CLI's own
 * ({@code other_issuer}: not this broker's, not sent; {@code failed}: its report failed;
 * {@code not_sent}: the broker was unreachable or still limiting). {@code failure} is the worst reporting
 * error, or {@code null}. Never holds a secret. Immutable.
 *
 * <p>{@code dpopBound} is the broker's {@code dpop_bound} for a leaked access or refresh token (issue 21): whether
 * it was bound to a DPoP key (RFC 9449), so whoever reads the report knows if the key may have leaked with it;
 * {@code null} where the broker did not say (another kind of secret, a repeated report, a token not sent).
 */
record Revocation(String url, List<Outcome> outcomes, MayflyError failure) {
    Revocation {
        outcomes = List.copyOf(outcomes);
    }

    /** One credential: how it is shown (redacted, fingerprint), where it was first found, what became of it. */
    record Outcome(String fingerprint, String redacted, String kind, String foundAt, String status, String firstStatus,
                   String type, String error, Boolean dpopBound) {
        static Outcome answered(Finding f, JsonNode answer) {
            return new Outcome(LeakReporter.fingerprint(f), f.redacted(), f.kind(), where(f), answer.path("status").asText(),
                    answer.path("first_status").isTextual() ? answer.get("first_status").asText() : null,
                    answer.path("type").isTextual() ? answer.get("type").asText() : null, null,
                    answer.path("dpop_bound").isBoolean() ? answer.get("dpop_bound").asBoolean() : null);
        }

        static Outcome failed(Finding f, ErrorCode code) {
            return new Outcome(LeakReporter.fingerprint(f), f.redacted(), f.kind(), where(f), "failed", null, null, code.name(),
                    null);
        }

        static Outcome notSent(Finding f) {
            return local(f, "not_sent");
        }

        static Outcome local(Finding f, String status) {
            return new Outcome(LeakReporter.fingerprint(f), f.redacted(), f.kind(), where(f), status, null, null, null, null);
        }

        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("fingerprint", fingerprint);
            m.put("redacted", redacted);
            m.put("kind", kind);
            m.put("found_at", foundAt);
            m.put("status", status);
            m.put("first_status", firstStatus);
            m.put("type", type);
            m.put("error", error);
            m.put("dpop_bound", dpopBound);
            return m;
        }

        /**
         * One line for people: {@code revoked [DPoP-bound]  eyJ********  3f2a…  logs/a.log:3:14}; the bracket only
         * where the broker said whether the token was bound ({@code [not DPoP-bound]} for a bearer one).
         */
        String line() {
            return status + (firstStatus == null ? "" : " (" + firstStatus + ")") + (error == null ? "" : " (" + error + ")")
                    + (dpopBound == null ? "" : dpopBound ? " [DPoP-bound]" : " [not DPoP-bound]")
                    + "  " + redacted + "  " + fingerprint + "  " + foundAt;
        }
    }

    static String where(Finding f) {
        return f.source() + ":" + f.line() + ":" + f.column();
    }

    long count(String status) {
        return outcomes.stream().filter(o -> o.status().equals(status)).count();
    }

    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("url", url);
        m.put("reported", outcomes.stream().filter(o -> !List.of("failed", "not_sent", "other_issuer").contains(o.status())).count());
        m.put("revoked", count("revoked"));
        m.put("already_reported", count("already_reported"));
        m.put("failed", count("failed") + count("not_sent"));
        m.put("results", outcomes.stream().map(Outcome::toMap).toList());
        return m;
    }
}
