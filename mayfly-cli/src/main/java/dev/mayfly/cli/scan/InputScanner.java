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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongSupplier;

/**
 * Runs the scanner over each input of a {@link ScanInputs}, several at once: one task per input on a pool
 * of as many threads as there are cores (the scanner is thread-safe and reads each input in bounded
 * windows, so memory grows with the threads, not the input). Outcomes are taken in input order, so the
 * report, the skipped list and which error wins are what a one-at-a-time scan gives. A file found by
 * walking a directory is first sniffed the way git does: a NUL byte in its first {@value #SNIFF_BYTES}
 * bytes makes it binary, and it is skipped unless asked. Files named on the command line are always
 * scanned. A scan that takes longer than a second reports its progress on stderr as the outcomes come in.
 */
final class InputScanner {
    static final int SNIFF_BYTES = 8000;

    private final SecretScanner scanner;
    private final boolean scanBinary;
    private final InputStream stdin;
    private final int threads;
    private final PrintStream progressTo;
    private final LongSupplier nanos;

    InputScanner(SecretScanner scanner, boolean scanBinary, InputStream stdin) {
        this(scanner, scanBinary, stdin, Runtime.getRuntime().availableProcessors());
    }

    InputScanner(SecretScanner scanner, boolean scanBinary, InputStream stdin, int threads) {
        this(scanner, scanBinary, stdin, threads, System.err, System::nanoTime);
    }

    /** With progress for scans longer than a second on {@code progressTo}, timed by {@code nanos}. */
    InputScanner(SecretScanner scanner, boolean scanBinary, InputStream stdin, PrintStream progressTo, LongSupplier nanos) {
        this(scanner, scanBinary, stdin, Runtime.getRuntime().availableProcessors(), progressTo, nanos);
    }

    InputScanner(SecretScanner scanner, boolean scanBinary, InputStream stdin, int threads, PrintStream progressTo,
                 LongSupplier nanos) {
        this.scanner = scanner;
        this.scanBinary = scanBinary;
        this.stdin = stdin;
        this.threads = Math.max(1, threads);
        this.progressTo = progressTo;
        this.nanos = nanos;
    }

    ScanReport scan(ScanInputs inputs) {
        List<ScanResult> results = new ArrayList<>();
        List<ScanInputs.Skipped> skipped = new ArrayList<>(inputs.skipped());
        List<ScanInputs.Input> all = inputs.inputs();
        int n = Math.min(threads, Math.max(1, all.size()));
        ExecutorService pool = Executors.newFixedThreadPool(n, r -> {
            Thread t = new Thread(r, "mayfly-scan");
            t.setDaemon(true);
            return t;
        });
        ScanProgress progress = new ScanProgress(progressTo, nanos, all.size());
        try {
            List<Future<Outcome>> outcomes = new ArrayList<>();
            for (ScanInputs.Input input : all) {
                outcomes.add(pool.submit(() -> scanOne(input)));
            }
            for (int i = 0; i < outcomes.size(); i++) {
                Outcome o = await(outcomes.get(i));
                if (o.result != null) {
                    results.add(o.result);
                } else {
                    skipped.add(o.skipped);
                }
                progress.scanned(all.get(i).isStdin() ? -1 : size(all.get(i)));
            }
        } finally {
            pool.shutdownNow();
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

    /** One input's result, or why it was skipped; an input error is thrown (and wins in input order). */
    private Outcome scanOne(ScanInputs.Input input) {
        if (input.isStdin()) {
            try {
                return new Outcome(scanner.scan(stdin, input.name()), null);
            } catch (IOException e) {
                throw new MayflyException(ErrorCode.PRECONDITION, "Reading stdin failed (" + e.getClass().getSimpleName() + ").");
            }
        }
        try (InputStream raw = Files.newInputStream(input.file());
             BufferedInputStream in = new BufferedInputStream(raw, 64 * 1024)) {
            if (!input.named() && !scanBinary && looksBinary(in)) {
                return new Outcome(null, new ScanInputs.Skipped(input.name(), "binary"));
            }
            return new Outcome(scanner.scan(in, input.name()), null);
        } catch (IOException e) {
            if (input.named()) {
                throw new MayflyException(ErrorCode.PRECONDITION, "Cannot read " + scanner.redactor().redact(input.name()) + ".");
            }
            return new Outcome(null, new ScanInputs.Skipped(input.name(), "unreadable"));
        }
    }

    private static Outcome await(Future<Outcome> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MayflyException(ErrorCode.INTERNAL, "Interrupted while scanning.");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            if (cause instanceof Error) {
                throw (Error) cause;
            }
            throw new MayflyException(ErrorCode.INTERNAL, "Scanning failed (" + cause.getClass().getSimpleName() + ").");
        }
    }

    /** Exactly one of the two is set. */
    private static final class Outcome {
        final ScanResult result;
        final ScanInputs.Skipped skipped;

        Outcome(ScanResult result, ScanInputs.Skipped skipped) {
            this.result = result;
            this.skipped = skipped;
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
