package dev.mayfly.cli.scan;

import dev.mayfly.cli.context.CliCommand;
import dev.mayfly.cli.context.Stdin;
import dev.mayfly.cli.output.Output;
import dev.mayfly.cli.schema.Outcomes;
import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code mayfly redact}: the input on stdout with every secret {@code mayfly scan} would find masked
 * ({@code mfy_rt_********}); everything else byte for byte, so JSON and JSONL stay valid. Streams in
 * bounded memory. Stdout is the redacted text, not an envelope; a failure before any output prints the
 * usual error envelope.
 */
@Command(name = "redact", mixinStandardHelpOptions = true,
        description = {"Print a file (or stdin: '-' or no PATH) with every secret masked, e.g. mfy_rt_********; the rest is "
                + "unchanged, so JSON in is JSON out. Finds what 'mayfly scan' finds (same --rules and --no-decode).",
                "Stdout is the redacted text, not an envelope. Exit 0 whether or not anything was masked."})
@Outcomes(data = "none: stdout is the input with every secret masked (not an envelope); failures print the error envelope",
        errors = {ErrorCode.NOT_FOUND, ErrorCode.PRECONDITION})
public final class RedactCommand extends CliCommand {
    @Parameters(arity = "0..1", paramLabel = "PATH", description = "The file to redact; '-' (or none) reads stdin.")
    String path;

    @Mixin
    ScannerOptions scanner;

    @Override
    protected int execute(Output out) throws Exception {
        boolean stdin = path == null || path.equals(ScanInputs.STDIN);
        if (path == null && Stdin.isTerminal()) {
            throw new MayflyException(ErrorCode.PRECONDITION,
                    "Nothing to redact: name a file, or pipe the input on stdin ('mayfly redact -' reads a terminal).");
        }
        var redactor = scanner.scanner().redactor();
        // A secret pasted where the path goes is not echoed back.
        String shown = stdin ? "stdin" : redactor.redact(path);
        Path file = stdin ? null : Path.of(path);
        if (file != null) {
            if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                throw new MayflyException(ErrorCode.NOT_FOUND, "No such file: " + shown);
            }
            if (Files.isDirectory(file)) {
                throw new MayflyException(ErrorCode.USAGE, shown + " is a directory; redact takes one file (or stdin).");
            }
        }
        OutputStream sink = new BufferedOutputStream(out.out(), 64 * 1024);
        try (InputStream in = stdin ? System.in : Files.newInputStream(file)) {
            redactor.redact(in, sink);
            sink.flush();
        } catch (IOException e) {
            throw new MayflyException(ErrorCode.PRECONDITION, "Cannot read " + shown + " ("
                    + e.getClass().getSimpleName() + ").");
        }
        return 0;
    }
}
