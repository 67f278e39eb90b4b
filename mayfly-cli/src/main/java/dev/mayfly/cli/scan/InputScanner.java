package dev.mayfly.cli.scan;

import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyException;
import dev.mayfly.scanner.ScanResult;
import dev.mayfly.scanner.SecretScanner;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Runs the scanner over each input of a {@link ScanInputs}, one stream at a time (the scanner reads in
 * bounded windows, so memory does not grow with the input). A file found by walking a directory is first
 * sniffed the way git does: a NUL byte in its first {@value #SNIFF_BYTES} bytes makes it binary, and it
 * is skipped unless asked. Files named on the command line are always scanned.
 */
final class InputScanner {
    static final int SNIFF_BYTES = 8000;

    private final SecretScanner scanner;
    private final boolean scanBinary;
    private final InputStream stdin;
    private final PrintStream progressTo;
    private final LongSupplier nanos;

    InputScanner(SecretScanner scanner, boolean scanBinary, InputStream stdin) {
        this(scanner, scanBinary, stdin, System.err, System::nanoTime);
    }

    /** With progress for scans longer than a second on {@code progressTo}, timed by {@code nanos}. */
    InputScanner(SecretScanner scanner, boolean scanBinary, InputStream stdin, PrintStream progressTo, LongSupplier nanos) {
        this.scanner = scanner;
        this.scanBinary = scanBinary;
        this.stdin = stdin;
        this.progressTo = progressTo;
        this.nanos = nanos;
    }

    ScanReport scan(ScanInputs inputs) {
        List<ScanResult> results = new ArrayList<>();
        List<ScanInputs.Skipped> skipped = new ArrayList<>(inputs.skipped());
        ScanProgress progress = new ScanProgress(progressTo, nanos, inputs.inputs().size());
        for (ScanInputs.Input input : inputs.inputs()) {
            if (input.isStdin()) {
                try {
                    results.add(scanner.scan(stdin, input.name()));
                } catch (IOException e) {
                    throw new MayflyException(ErrorCode.PRECONDITION, "Reading stdin failed (" + e.getClass().getSimpleName() + ").");
                }
                progress.scanned(-1);
                continue;
            }
            scanFile(input, results, skipped);
            progress.scanned(size(input));
        }
        progress.finished();
        skipped.sort(java.util.Comparator.comparing(ScanInputs.Skipped::path));
        return new ScanReport(results, skipped);
    }

    private static long size(ScanInputs.Input input) {
        try {
            return Files.size(input.file());
        } catch (IOException e) {
            return -1;
        }
    }

    private void scanFile(ScanInputs.Input input, List<ScanResult> results, List<ScanInputs.Skipped> skipped) {
        try (InputStream raw = Files.newInputStream(input.file());
             BufferedInputStream in = new BufferedInputStream(raw, 64 * 1024)) {
            if (!input.named() && !scanBinary && looksBinary(in)) {
                skipped.add(new ScanInputs.Skipped(input.name(), "binary"));
                return;
            }
            results.add(scanner.scan(in, input.name()));
        } catch (IOException e) {
            if (input.named()) {
                throw new MayflyException(ErrorCode.PRECONDITION, "Cannot read " + scanner.redactor().redact(input.name()) + ".");
            }
            skipped.add(new ScanInputs.Skipped(input.name(), "unreadable"));
        }
    }

    /** Git's heuristic: a NUL byte near the start. Leaves the stream where it was. */
    static boolean looksBinary(BufferedInputStream in) throws IOException {
        in.mark(SNIFF_BYTES);
        try {
            byte[] head = in.readNBytes(SNIFF_BYTES);
            for (byte b : head) {
                if (b == 0) {
                    return true;
                }
            }
            return false;
        } finally {
            in.reset();
        }
    }
}
