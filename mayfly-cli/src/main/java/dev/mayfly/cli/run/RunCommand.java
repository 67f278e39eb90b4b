package dev.mayfly.cli.run;

import dev.mayfly.cli.context.CliCommand;
import dev.mayfly.cli.output.Output;
import dev.mayfly.cli.process.ChildProcess;
import dev.mayfly.cli.process.ChildResult;
import dev.mayfly.cli.process.ReportedError;
import dev.mayfly.cli.schema.Outcomes;
import dev.mayfly.core.error.ErrorCode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code mayfly run -- CMD ARGS}: the agent-side half of the expiry contract, for any CLI that prints the
 * envelope. On an expiry it runs the command's own {@code reauth_command} once and retries; on a permanent
 * denial it stops at once (exit 8); everything else passes through untouched.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run an agent-CLI command that prints the JSON envelope. On CREDENTIALS_EXPIRED (or TOKEN_EXPIRED, "
                + "AUTH_EXPIRED) run its reauth_command and retry, at most --max-auth-retries times; on PERMISSION_DENIED "
                + "(or FORBIDDEN) stop at once with exit 8; pass everything else through (stdout, stderr, exit code).",
                "A reauth_command is run only if it is a plain command (no shell syntax) of the same program or of mayfly.",
                "Example: mayfly run -- mayfly whoami --no-auto-refresh"})
@Outcomes(data = "the wrapped command's own stdout, passed through; warnings are appended to its envelope when it was retried",
        passesThroughChildExit = true,
        errors = {ErrorCode.NOT_FOUND, ErrorCode.PERMISSION_DENIED, ErrorCode.CREDENTIALS_EXPIRED})
public final class RunCommand extends CliCommand {
    @Option(names = "--max-auth-retries", paramLabel = "N", defaultValue = "1",
            description = "How many times to re-authenticate and retry on expiry (default: ${DEFAULT-VALUE}).")
    int maxRetries;

    @Parameters(arity = "1..*", paramLabel = "CMD", description = "The command and its arguments (after --).")
    List<String> command;

    @Override
    protected int execute(Output out) {
        if (maxRetries < 0) {
            return out.fail(dev.mayfly.core.error.MayflyError.of(ErrorCode.USAGE, "--max-auth-retries must be 0 or more."));
        }
        List<String> notes = new ArrayList<>();
        ChildResult result = runOnce();
        Optional<ReportedError> reported = ReportedError.from(result.stdoutText());
        int retries = 0;
        while (reported.map(ReportedError::isExpiry).orElse(false) && retries < maxRetries) {
            ReportedError expiry = reported.get();
            ReauthCommand reauth = ReauthCommand.parse(expiry.text("reauth_command").orElse(null), command.get(0));
            if (!reauth.runnable()) {
                // §53: with only reauth_env_var given, the variable must be re-set by whoever set it.
                String envVar = expiry.text("reauth_env_var").orElse(null);
                notes.add("Credentials expired; not retried: " + reauth.refusal()
                        + (envVar != null && expiry.text("reauth_command").isEmpty() ? "; re-set " + envVar : "") + ".");
                break;
            }
            out.err().println("mayfly run: " + expiry.code() + "; running '" + expiry.text("reauth_command").get()
                    + "' and retrying.");
            ChildResult recovery = ChildProcess.run(reauth.argv(), context().env(), ChildProcess.Stdin.EMPTY, false,
                    Duration.ofMinutes(2));
            if (recovery.exitCode() != 0) {
                notes.add("Credentials expired; '" + expiry.text("reauth_command").get() + "' failed with exit "
                        + recovery.exitCode() + ", so the command was not retried.");
                break;
            }
            retries++;
            notes.add("Credentials expired (" + expiry.code() + "); ran '" + expiry.text("reauth_command").get()
                    + "' and retried (" + retries + " of " + maxRetries + ").");
            result = runOnce();
            reported = ReportedError.from(result.stdoutText());
        }
        passThrough(result, notes, out);
        if (reported.map(ReportedError::isDenial).orElse(false) || result.exitCode() == ErrorCode.PERMISSION_DENIED.exitCode()) {
            return ErrorCode.PERMISSION_DENIED.exitCode();
        }
        if (reported.map(ReportedError::isExpiry).orElse(false)) {
            return ErrorCode.CREDENTIALS_EXPIRED.exitCode();
        }
        return result.exitCode();
    }

    private ChildResult runOnce() {
        return ChildProcess.run(command, context().env(), ChildProcess.Stdin.INHERIT, false, null);
    }

    /** The child's stdout as it was, with run's notes added to its envelope's warnings when it has one. */
    private static void passThrough(ChildResult result, List<String> notes, Output out) {
        Optional<String> annotated = notes.isEmpty() ? Optional.empty()
                : ReportedError.parseDocument(result.stdoutText()).flatMap(doc -> ReportedError.withWarnings(doc, notes));
        if (annotated.isPresent()) {
            out.out().println(annotated.get());
        } else {
            out.out().write(result.stdout(), 0, result.stdout().length);
        }
        out.out().flush();
        notes.forEach(n -> out.err().println("mayfly run: " + n));
    }
}
