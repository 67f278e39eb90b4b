package dev.mayfly.cli.conform;

import dev.mayfly.cli.context.CliCommand;
import dev.mayfly.cli.context.DurationOption;
import dev.mayfly.cli.output.Output;
import dev.mayfly.cli.process.ChildProcess;
import dev.mayfly.cli.schema.Outcomes;
import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code mayfly conform -- CMD ARGS}: score any CLI 0–3 on telling credential expiry from denial. The
 * caller sets up the expired credential (and, optionally, a valid but insufficient one) through the
 * environment; the CLI under test runs with no stdin, so a prompt shows up as a timeout, not a hang.
 */
@Command(name = "conform", mixinStandardHelpOptions = true,
        description = {"Run a CLI under an expired credential (--env) and, with --denied-env, under a valid but insufficient "
                + "one, and score it 0-3 on credential-expiry handling: 0 expiry indistinguishable from denial; 1 'expired' "
                + "only in prose; 2 a distinct CREDENTIALS_EXPIRED code with expired_at and reauth_command; 3 also exit 10 "
                + "(vs 8 for denial), retryable: true and reauth_env_var.",
                "NAME=VALUE sets a variable for the run; NAME=@FILE reads the value from FILE (use it for tokens: "
                        + "secrets are never arguments). Prints which criteria held. Exit 0 whatever the score.",
                "Example: mayfly conform --env MAYFLY_TOKEN=@expired.jwt -- mayfly whoami"})
@Outcomes(data = "score (0-3), max_score, criteria[] {id, level, description, held, detail}, runs {expired, denied}",
        errors = {ErrorCode.NOT_FOUND, ErrorCode.PRECONDITION})
public final class ConformCommand extends CliCommand {
    @Option(names = "--env", paramLabel = "NAME=VALUE", description = "Environment of the expired-credential run (repeatable).")
    List<String> env = List.of();

    @Option(names = "--denied-env", paramLabel = "NAME=VALUE",
            description = "Environment of a second run under a valid but insufficient credential (repeatable).")
    List<String> deniedEnv = List.of();

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "30s",
            description = "How long each run may take (default: ${DEFAULT-VALUE}).")
    String timeout;

    @Parameters(arity = "1..*", paramLabel = "CMD", description = "The command to score and its arguments (after --).")
    List<String> command;

    @Override
    protected int execute(Output out) {
        Duration limit = DurationOption.parse(timeout, "--timeout");
        Map<String, String> expiredEnv = environment(env);
        Map<String, String> deniedEnvironment = deniedEnv.isEmpty() ? null : environment(deniedEnv);
        Observation expired = Observation.of(ChildProcess.run(command, expiredEnv, ChildProcess.Stdin.EMPTY, true, limit));
        Observation denied = deniedEnvironment == null ? null
                : Observation.of(ChildProcess.run(command, deniedEnvironment, ChildProcess.Stdin.EMPTY, true, limit));
        ExpiryRubric.Score score = ExpiryRubric.score(expired, denied);

        Map<String, Object> data = new LinkedHashMap<>();
        data.put("command", String.join(" ", command));
        data.put("score", score.score());
        data.put("max_score", ExpiryRubric.MAX);
        data.put("criteria", score.criteria().stream().map(Criterion::toMap).toList());
        Map<String, Object> runs = new LinkedHashMap<>();
        runs.put("expired", expired.summary());
        runs.put("denied", denied == null ? null : denied.summary());
        data.put("runs", runs);
        return out.ok(data, p -> {
            p.printf("%s scores %d/%d on credential-expiry handling%n", String.join(" ", command), score.score(), ExpiryRubric.MAX);
            for (Criterion c : score.criteria()) {
                String mark = c.held() == null ? " - " : c.held() ? "[x]" : "[ ]";
                p.printf("  %s L%d %-26s %s%n", mark, c.level(), c.id(), c.detail());
            }
        });
    }

    /** The inherited environment with the given overrides; {@code @FILE} values are read from the file. */
    private Map<String, String> environment(List<String> overrides) {
        Map<String, String> e = new HashMap<>(context().env());
        for (String assignment : overrides) {
            int eq = assignment.indexOf('=');
            if (eq <= 0) {
                // The argument is not echoed: a mistyped one might be a secret.
                throw new MayflyException(ErrorCode.USAGE, "Expected NAME=VALUE or NAME=@FILE (an --env argument has no '=').");
            }
            String value = assignment.substring(eq + 1);
            if (value.startsWith("@")) {
                Path file = Path.of(value.substring(1));
                try {
                    value = Files.readString(file, StandardCharsets.UTF_8).trim();
                } catch (IOException ex) {
                    throw new MayflyException(ErrorCode.PRECONDITION, "Cannot read " + file + " for " + assignment.substring(0, eq) + ".");
                }
            }
            e.put(assignment.substring(0, eq), value);
        }
        return e;
    }
}
