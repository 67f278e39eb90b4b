package dev.mayfly.cli.doctor;

import dev.mayfly.cli.context.BrokerOptions;
import dev.mayfly.cli.context.CliCommand;
import dev.mayfly.cli.context.DurationOption;
import dev.mayfly.cli.context.RefreshOptions;
import dev.mayfly.cli.output.Output;
import dev.mayfly.cli.schema.Outcomes;
import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyError;
import dev.mayfly.core.error.MayflyException;
import dev.mayfly.core.json.Json;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code mayfly doctor}: the production checklist (docs/checklist.md) run against a live deployment, one
 * verdict per item with its evidence. Exit codes: the broker unreachable is {@code UNAVAILABLE} (12); any
 * failed check is {@code PRECONDITION} (4); warnings alone exit 0 and are listed in {@code warnings}. In
 * every case {@code data.checks} holds every check.
 */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = {"Run the production checklist against a live broker: reachability and clock skew, metadata and "
                + "JWKS, TLS, policy lint, shared client secrets (audit trail), a revocation canary, the audit chain, and "
                + "scanner coverage of the log paths.",
                "Prints pass/warn/fail per check with its evidence. Exit 12 if the broker is unreachable, 4 if any check "
                        + "fails, 0 otherwise (warnings listed). Uses admin.json or the current credential, like other "
                        + "admin commands; the canary creates and then disables a throwaway agent."})
@Outcomes(data = "url, passed, warned, failed, checks[] (id, status pass|warn|fail, summary, evidence); data is "
        + "present on failure too", authenticated = true, errors = {ErrorCode.PRECONDITION})
public final class DoctorCommand extends CliCommand {
    @Mixin
    BrokerOptions broker;

    @Mixin
    RefreshOptions refresh;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Doctor config (TOML, log_paths = [...]); default: $MAYFLY_HOME/doctor.toml when it exists.")
    Path config;

    @Option(names = "--log-path", paramLabel = "PATH",
            description = "A log file or directory the secret scanner must cover (repeatable; added to the config's).")
    List<Path> logPaths = new ArrayList<>();

    @Option(names = "--window", paramLabel = "DURATION", defaultValue = "1h",
            description = "How far back the audit trail is read for shared client secrets (default: ${DEFAULT-VALUE}).")
    String window;

    @Option(names = "--canary-timeout", paramLabel = "DURATION", defaultValue = "10s",
            description = "How long the revocation canary waits for a verifier to refuse the revoked token (default: ${DEFAULT-VALUE}).")
    String canaryTimeout;

    @Option(names = "--no-canary",
            description = "Skip the revocation canary (it creates and disables an agent); the check then warns.")
    boolean noCanary;

    /** The checklist, in the order it is run and printed. */
    static List<Check> checks() {
        return List.of(new BrokerReachableCheck(), new ClockSkewCheck(), new MetadataCheck(), new TlsCheck(),
                new PolicyLintCheck(), new SharedSecretCheck(), new RevocationCanaryCheck(), new AuditChainCheck(),
                new ScannerPathsCheck());
    }

    @Override
    protected int execute(Output out) {
        DoctorSettings settings = DoctorSettings.load(context().home(), config, logPaths,
                DurationOption.parse(window, "--window"), DurationOption.parse(canaryTimeout, "--canary-timeout"), !noCanary);
        List<CheckResult> results = new ArrayList<>();
        String url;
        boolean reachable;
        try (Deployment d = Deployment.open(context(), out, broker.url, refresh.autoRefresh(), settings)) {
            url = d.url();
            for (Check check : checks()) {
                results.add(run(check, d));
            }
            reachable = d.reachable();
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("url", url);
        data.put("passed", count(results, CheckResult.Status.PASS));
        data.put("warned", count(results, CheckResult.Status.WARN));
        data.put("failed", count(results, CheckResult.Status.FAIL));
        data.put("checks", results.stream().map(CheckResult::toView).toList());
        List<String> failed = results.stream().filter(r -> r.status() == CheckResult.Status.FAIL).map(CheckResult::id).toList();
        if (!reachable) {
            return out.fail(MayflyError.builder(ErrorCode.UNAVAILABLE, "The broker at " + url + " is unreachable; "
                    + failed.size() + " check(s) could not pass.").retryAfterMs(1000).build(), data, p -> print(p, url, results));
        }
        if (!failed.isEmpty()) {
            return out.fail(MayflyError.builder(ErrorCode.PRECONDITION, failed.size() + " of " + results.size()
                            + " checks failed: " + String.join(", ", failed) + ".")
                    .detail("failed", failed).build(), data, p -> print(p, url, results));
        }
        results.stream().filter(r -> r.status() == CheckResult.Status.WARN).forEach(r -> out.warn(r.id() + ": " + r.summary()));
        return out.ok(data, p -> print(p, url, results));
    }

    /** Runs one check; what it throws is its failure (a check never ends the run). */
    private static CheckResult run(Check check, Deployment d) {
        if (check.needsBroker() && !d.reachable()) {
            return CheckResult.fail(check.id(), "Not run: the broker is unreachable.", Map.of());
        }
        try {
            return check.run(d);
        } catch (MayflyException e) {
            return CheckResult.fail(check.id(), e.code() + ": " + e.getMessage(), Map.of("error", e.code().name()));
        }
    }

    private static long count(List<CheckResult> results, CheckResult.Status status) {
        return results.stream().filter(r -> r.status() == status).count();
    }

    private static void print(PrintStream p, String url, List<CheckResult> results) {
        p.printf("mayfly doctor: %s%n", url);
        for (CheckResult r : results) {
            p.printf("  %-4s  %-18s %s%n", r.status().wireName().toUpperCase(java.util.Locale.ROOT), r.id(), r.summary());
            if (!r.evidence().isEmpty()) {
                StringBuilder line = new StringBuilder();
                r.evidence().forEach((k, v) -> line.append(line.length() == 0 ? "" : " ").append(k).append('=')
                        .append(v instanceof String s ? s : Json.write(v)));
                p.printf("        %s%n", line);
            }
        }
    }
}
