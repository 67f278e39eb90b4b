package dev.mayfly.cli.conform;

import dev.mayfly.cli.process.ChildResult;
import dev.mayfly.cli.process.ReportedError;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** One run of the CLI under test, and what it reported: exit code, the error it printed, the words it used. */
record Observation(ChildResult result, Optional<ReportedError> reported) {
    static Observation of(ChildResult r) {
        return new Observation(r, ReportedError.from(r.stdoutText()));
    }

    int exitCode() {
        return result.exitCode();
    }

    Optional<String> code() {
        return reported.map(ReportedError::code);
    }

    Optional<String> field(String name) {
        return reported.flatMap(e -> e.text(name));
    }

    /** True when the error names the field and sets it to null (said, as opposed to left out). */
    boolean fieldIsNull(String name) {
        return reported.map(e -> e.error().has(name) && e.error().get(name).isNull()).orElse(false);
    }

    boolean fieldIsTrue(String name) {
        return reported.map(e -> e.error().path(name).isBoolean() && e.error().get(name).asBoolean()).orElse(false);
    }

    boolean hasInstant(String name) {
        return field(name).map(v -> {
            try {
                Instant.parse(v);
                return true;
            } catch (DateTimeParseException e) {
                return false;
            }
        }).orElse(false);
    }

    /** True when anything it printed says "expire" (in a code, a message, or prose on stderr). */
    boolean mentionsExpiry() {
        return (result.stdoutText() + "\n" + result.stderrText()).toLowerCase(Locale.ROOT).contains("expire");
    }

    /** What the report shows of a run: never its raw output, which may hold whatever the CLI leaked. */
    Map<String, Object> summary() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("exit_code", result.exitCode());
        m.put("timed_out", result.timedOut());
        m.put("error_code", code().orElse(null));
        m.put("expired_at", field("expired_at").orElse(null));
        m.put("retryable", reported.map(e -> e.error().get("retryable")).filter(n -> n != null && n.isBoolean())
                .map(n -> (Object) n.asBoolean()).orElse(null));
        m.put("reauth_command", field("reauth_command").map(Redact::secrets).orElse(null));
        m.put("reauth_env_var", field("reauth_env_var").orElse(null));
        return m;
    }
}
