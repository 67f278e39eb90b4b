package dev.mayfly.cli.scan;

import dev.mayfly.cli.context.BrokerOptions;
import dev.mayfly.cli.context.CliCommand;
import dev.mayfly.cli.context.CliContext;
import dev.mayfly.cli.context.Stdin;
import dev.mayfly.cli.output.Output;
import dev.mayfly.cli.schema.Outcomes;
import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyException;
import dev.mayfly.scanner.SecretScanner;
import dev.mayfly.scanner.report.ReportFormat;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code mayfly scan}: find secrets in files, directories or stdin, report them in one of the scanner's
 * formats, and with {@code --revoke} have the broker revoke the Mayfly credentials among them. Exit codes
 * per docs/scanner.md: 0 clean, 6 found (or {@code --exit-code}), 12/9/3 when revocation reports failed.
 */
@Command(name = "scan", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Find secrets (Mayfly's own credentials, cloud and SaaS keys, private keys, passwords) in files, "
                + "directories (recursively; .git, symbolic links and binary files are skipped and listed) or stdin ('-' or no PATH).",
                "Looks inside JSON strings, base64, percent-encoding and streamed LLM output. Findings carry the rule, "
                        + "file, line, column, a redacted value and a fingerprint (SHA-256 of the secret); never the secret.",
                "Exit 0 when clean; 6 (CONFLICT, data = the report) when something was found, or the code given by --exit-code. "
                        + "With --revoke: 12 when the broker is unreachable, 9 when it kept rate-limiting, 3 when some reports failed."})
@Outcomes(data = "the JSON report: clean, findings [{rule_id, kind, description, file, line, column, end_line, end_column, "
        + "offset, redacted, fingerprint, entropy, mayfly, decoded_from, tags}], warnings, skipped [{file, reason}], "
        + "summary; with --explain also suppressed [{..., reason}]; with --revoke also revocation {url, reported, revoked, already_reported, failed, results}; "
        + "also on exit 6, 12, 9 and 3. --format sarif|gitleaks|text prints that report instead of the envelope",
        errors = {ErrorCode.CONFLICT, ErrorCode.NOT_FOUND, ErrorCode.PRECONDITION, ErrorCode.PARTIAL_FAILURE,
                ErrorCode.RATE_LIMITED, ErrorCode.UNAVAILABLE})
public final class ScanCommand extends CliCommand {
    @Parameters(arity = "0..*", paramLabel = "PATH",
            description = "Files or directories to scan; '-' (or none) reads stdin.")
    List<String> paths = List.of();

    @Option(names = {"-f", "--format"}, paramLabel = "FORMAT",
            description = "json (the envelope, the default when stdout is not a terminal), sarif (SARIF 2.1.0), "
                    + "gitleaks (gitleaks' JSON array), text (the default on a terminal). sarif, gitleaks and text print "
                    + "the report itself on stdout; the exit code is the same.")
    String format;

    @Option(names = "--report-path", paramLabel = "FILE",
            description = "Write the report (in --format, default json) to FILE; stdout then carries the envelope as usual.")
    Path reportPath;

    @Mixin
    ScannerOptions scanner;

    @Option(names = "--explain",
            description = "Also list the matches rules refused (placeholders, identifiers, failed checksums, generic matches "
                    + "yielding to a specific rule), each with its reason: data.suppressed in JSON, 'suppressed:' lines in text. "
                    + "Never the secret; does not change the exit code.")
    boolean explain;

    @Option(names = "--include-binary",
            description = "Also scan files a directory walk finds binary (a NUL byte in the first 8000 bytes). Files named "
                    + "on the command line are always scanned.")
    boolean includeBinary;

    @Option(names = "--exit-code", paramLabel = "N",
            description = "Exit with N instead of 6 when secrets are found (0 makes the envelope ok). Input and revocation "
                    + "errors keep their own codes.")
    Integer exitCode;

    @Option(names = "--revoke",
            description = "Report the Mayfly credentials found (access tokens of this broker, refresh tokens, client secrets) "
                    + "to the broker (POST /v1/leaks; no login needed) so it revokes them; prints what became of each.")
    boolean revoke;

    @Mixin
    BrokerOptions broker;

    @Override
    protected int execute(Output given) throws Exception {
        ReportFormat chosen = format == null ? null : ReportFormat.parse(format);
        if (exitCode != null && (exitCode < 0 || exitCode > 255)) {
            throw new MayflyException(ErrorCode.USAGE, "--exit-code must be between 0 and 255.");
        }
        if (paths.isEmpty() && Stdin.isTerminal()) {
            throw new MayflyException(ErrorCode.PRECONDITION,
                    "Nothing to scan: name files or directories, or pipe the input on stdin ('mayfly scan -' reads a terminal).");
        }
        SecretScanner secrets = scanner.scanner(explain);
        ScanInputs inputs = ScanInputs.resolve(paths, secrets.redactor()::redact);

        // The text report on stdout is written as inputs are scanned: finding lines first, the rest at the end.
        StreamedText streamed = reportPath == null && (chosen == ReportFormat.TEXT || chosen == null && !given.json())
                ? new StreamedText(inputs, new OutputStreamWriter(given.out(), StandardCharsets.UTF_8)) : null;
        InputScanner inputScanner = new InputScanner(secrets, includeBinary, System.in);
        ScanReport report = streamed == null ? inputScanner.scan(inputs) : inputScanner.scan(inputs, streamed);
        // The envelope (and the JSON report) is what --format json asks for, even on a terminal.
        Output out = chosen == ReportFormat.JSON && !given.json() ? new Output(true, given.out(), given.err()) : given;
        long unreadable = report.skipped().stream().filter(s -> s.reason().equals("unreadable")).count();
        if (unreadable > 0) {
            out.warn(unreadable + " file(s) could not be read and were skipped; see data.skipped.");
        }

        Revocation revocation = null;
        if (revoke) {
            CliContext ctx = context();
            revocation = new LeakReporter(ctx.http(), ctx.brokerUrl(broker.url)).report(report.mayflyFindings());
            for (Revocation.Outcome o : revocation.outcomes()) {
                out.err().println("mayfly: revoke: " + o.line());
            }
        }
        ScanOutcome outcome = ScanOutcome.of(report, revocation, exitCode);

        if (reportPath != null) {
            writeReportFile(report, chosen == null ? ReportFormat.JSON : chosen);
        }
        if (chosen != null && chosen != ReportFormat.JSON && reportPath == null) {
            // The report itself is stdout; failures are said on stderr only.
            printRest(given.out(), report, chosen, streamed);
            return outcome.ok() ? 0 : new Output(false, given.out(), given.err()).fail(outcome.error(), null, outcome.exitCode());
        }
        Map<String, Object> data = new LinkedHashMap<>(report.toMap());
        if (revocation != null) {
            data.put("revocation", revocation.toMap());
        }
        if (reportPath != null) {
            data.put("report_path", reportPath.toString());
        }
        if (outcome.ok()) {
            if (!report.isClean()) {
                out.warn(report.headline() + "; exiting 0 as --exit-code 0 asks.");
            }
            return out.ok(data, p -> printRest(p, report, ReportFormat.TEXT, streamed));
        }
        if (!out.json()) {
            printRest(out.out(), report, ReportFormat.TEXT, streamed);
        }
        return out.fail(outcome.error(), data, outcome.exitCode());
    }

    /** The report, or what {@code streamed} has not written of it yet. */
    private static void printRest(PrintStream stream, ScanReport report, ReportFormat f, StreamedText streamed) {
        if (streamed != null) {
            streamed.finish(report);
        } else {
            printReport(stream, report, f);
        }
    }

    private static void printReport(PrintStream stream, ScanReport report, ReportFormat f) {
        Writer w = new OutputStreamWriter(stream, StandardCharsets.UTF_8);
        try {
            CombinedReport.write(report, f, w);
        } catch (IOException e) {
            throw new MayflyException(ErrorCode.PRECONDITION, "Cannot write the report to stdout.");
        }
    }

    private void writeReportFile(ScanReport report, ReportFormat f) {
        try (Writer w = Files.newBufferedWriter(reportPath, StandardCharsets.UTF_8)) {
            CombinedReport.write(report, f, w);
        } catch (IOException e) {
            throw new MayflyException(ErrorCode.PRECONDITION, "Cannot write the report to " + reportPath + ".");
        }
    }
}
