package dev.mayfly.cli.conform;

import dev.mayfly.cli.process.ReportedError;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The credential-expiry rubric of the CLI Agent Spec (§53, as Mayfly's design adopts it), scoring one CLI
 * 0–3 from a run under an expired credential and, optionally, one under a valid but insufficient one:
 *
 * <ul>
 *   <li>0: expiry cannot be told from denial (same code or exit, a denial code, or no failure at all);</li>
 *   <li>1: "expired" appears, but only in prose;</li>
 *   <li>2: a distinct {@code CREDENTIALS_EXPIRED} code with {@code expired_at} and {@code reauth_command} (or,
 *       when only re-setting a variable recovers, an explicit null beside {@code reauth_env_var});</li>
 *   <li>3: also exit 10 for expiry (and exit 8 for denial, when a denial run is given),
 *       {@code retryable: true} and {@code reauth_env_var}.</li>
 * </ul>
 * Stateless.
 */
final class ExpiryRubric {
    static final int MAX = 3;

    record Score(int score, List<Criterion> criteria) {
    }

    private ExpiryRubric() {
    }

    static Score score(Observation expired, Observation denied) {
        List<Criterion> c = new ArrayList<>();
        c.add(new Criterion("expiry_fails", 0, "The command fails (non-zero exit, in time) under an expired credential.",
                expired.exitCode() != 0 && !expired.result().timedOut(),
                expired.result().timedOut() ? "did not finish in time (waiting for input?)" : "exit " + expired.exitCode()));
        c.add(distinct(expired, denied));
        c.add(new Criterion("mentions_expiry", 1, "Its output says the credential expired.",
                expired.mentionsExpiry(), expired.mentionsExpiry() ? "\"expire\" appears" : "no mention of expiry"));
        c.add(new Criterion("code_credentials_expired", 2, "error.code is CREDENTIALS_EXPIRED.",
                expired.code().map("CREDENTIALS_EXPIRED"::equals).orElse(false),
                "error.code: " + expired.code().orElse("(none)")));
        c.add(new Criterion("expired_at", 2, "error.expired_at is an ISO-8601 time.",
                expired.hasInstant("expired_at"), "expired_at: " + expired.field("expired_at").orElse("(none)")));
        c.add(reauthCommand(expired));
        c.add(new Criterion("exit_10", 3, "Exit code 10 under expiry.", expired.exitCode() == 10,
                "exit " + expired.exitCode()));
        c.add(denialExit(denied));
        c.add(new Criterion("retryable", 3, "error.retryable is true.", expired.fieldIsTrue("retryable"),
                "retryable: " + expired.reported().map(e -> String.valueOf(e.error().get("retryable"))).orElse("(none)")));
        c.add(new Criterion("reauth_env_var", 3, "error.reauth_env_var names the variable to set.",
                expired.field("reauth_env_var").isPresent(),
                "reauth_env_var: " + expired.field("reauth_env_var").orElse("(none)")));
        return new Score(level(c), List.copyOf(c));
    }

    /**
     * A command that recovers, or, for a credential the caller put in a variable, an explicit null beside
     * {@code reauth_env_var}: §53's workaround ("if only reauth_env_var is given, tell the user to re-set
     * it"). No command can renew a variable in the caller's environment, so naming one would be false.
     */
    private static Criterion reauthCommand(Observation expired) {
        String description = "error.reauth_command names the command that recovers (or is null beside reauth_env_var "
                + "when only re-setting that variable can).";
        if (expired.field("reauth_command").isPresent()) {
            return new Criterion("reauth_command", 2, description, true,
                    "reauth_command: " + expired.field("reauth_command").map(Redact::secrets).get());
        }
        boolean variableOnly = expired.fieldIsNull("reauth_command") && expired.field("reauth_env_var").isPresent();
        return new Criterion("reauth_command", 2, description, variableOnly, variableOnly
                ? "reauth_command: null; re-set " + expired.field("reauth_env_var").get() : "reauth_command: (none)");
    }

    private static Criterion distinct(Observation expired, Observation denied) {
        String code = expired.code().orElse(null);
        if (code != null && (ReportedError.DENIAL_CODES.contains(code) || ReportedError.AMBIGUOUS_CODES.contains(code))) {
            return new Criterion("distinct_from_denial", 0, "Expiry is reported differently from a denial.", false,
                    "expiry reported as " + code);
        }
        if (expired.exitCode() == 8) {
            return new Criterion("distinct_from_denial", 0, "Expiry is reported differently from a denial.", false,
                    "expiry exits 8, the permission-denied code");
        }
        // Same exit and no codes: only the prose can tell them apart (at best a score of 1).
        boolean proseTells = denied != null && expired.code().isEmpty() && expired.mentionsExpiry() && !denied.mentionsExpiry();
        if (denied != null && denied.exitCode() == expired.exitCode() && Objects.equals(denied.code(), expired.code())
                && !proseTells) {
            return new Criterion("distinct_from_denial", 0, "Expiry is reported differently from a denial.", false,
                    "expiry and denial both exit " + expired.exitCode() + " with code " + expired.code().orElse("(none)"));
        }
        if (denied != null && denied.reported().map(ReportedError::isExpiry).orElse(false)) {
            return new Criterion("distinct_from_denial", 0, "Expiry is reported differently from a denial.", false,
                    "the denial is reported as an expiry (" + denied.code().orElse("") + ")");
        }
        return new Criterion("distinct_from_denial", 0, "Expiry is reported differently from a denial.", true,
                denied == null ? "no denial code or exit 8 under expiry (no denial run)"
                        : "expiry exit " + expired.exitCode() + " " + expired.code().orElse("(no code)") + " vs denial exit "
                        + denied.exitCode() + " " + denied.code().orElse("(no code)"));
    }

    private static Criterion denialExit(Observation denied) {
        if (denied == null) {
            return new Criterion("denial_exit_8", 3, "Exit code 8 under a permanent denial.", null,
                    "not checked: pass --denied-env to run the command under an insufficient credential");
        }
        return new Criterion("denial_exit_8", 3, "Exit code 8 under a permanent denial.", denied.exitCode() == 8,
                "exit " + denied.exitCode() + ", code " + denied.code().orElse("(none)"));
    }

    private static int level(List<Criterion> c) {
        if (!all(c, 0)) {
            return 0;
        }
        if (all(c, 2)) {
            return all(c, 3) ? 3 : 2;
        }
        return all(c, 1) ? 1 : 0;
    }

    private static boolean all(List<Criterion> c, int level) {
        return c.stream().filter(x -> x.level() == level).allMatch(Criterion::passedOrUnchecked);
    }
}
