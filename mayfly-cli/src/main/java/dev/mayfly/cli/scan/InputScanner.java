package dev.mayfly.cli.scan;

import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyException;
import dev.mayfly.scanner.FileParts;
import dev.mayfly.scanner.ScanResult;
import dev.mayfly.scanner.SecretScanner;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Runs the scanner over each input of a {@link ScanInputs}, several at once on a pool of as many threads as
 * there are cores (the scanner is thread-safe and reads each input in bounded windows, so memory grows with
 * the threads, not the input): one task per input, or, for a file of {@value #SPLIT_BYTES} bytes or more, one
 * per part of about {@value #PART_BYTES} bytes ({@link FileParts}), so one large file keeps every core busy;
 * the tasks run largest first. Outcomes are taken in input order, so the
 * report, the skipped list and which error wins are what a one-at-a-time scan gives. A file found by
 * walking a directory is first sniffed the way git does: a NUL byte in its first {@value #SNIFF_BYTES}
 * bytes makes it binary, and it is skipped unless asked. Files named on the command line are always
 * scanned. A scan that takes longer than a second reports its progress on stderr as the outcomes come in.
 */
final class InputScanner {
    static final int SNIFF_BYTES = 8000;
    /** Files at least this large are scanned as parts on all cores ({@link FileParts}). */
    static final long SPLIT_BYTES = 12L << 20;
    /** About how large a part is: large enough that its context and set-up cost nothing, small enough to share. */
    static final long PART_BYTES = 8L << 20;

    private final SecretScanner scanner;
    private final boolean scanBinary;
    private final InputStream stdin;
    private final int threads;
    private final PrintStream progressTo;
    private final LongSupplier nanos;
    private final long splitBytes;
    private final long partBytes;

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
        this(scanner, scanBinary, stdin, threads, progressTo, nanos, SPLIT_BYTES, PART_BYTES);
    }

    /** With files of {@code splitBytes} or more scanned in parts of about {@code partBytes}. */
    InputScanner(SecretScanner scanner, boolean scanBinary, InputStream stdin, int threads, PrintStream progressTo,
                 LongSupplier nanos, long splitBytes, long partBytes) {
        this.splitBytes = splitBytes;
        this.partBytes = partBytes;
        this.scanner = scanner;
        this.scanBinary = scanBinary;
        this.stdin = stdin;
        this.threads = Math.max(1, threads);
        this.progressTo = progressTo;
        this.nanos = nanos;
    }

    ScanReport scan(ScanInputs inputs) {
        return scan(inputs, new ResultSink() {
            @Override
            public void accept(int index, ScanResult result) {
            }

            @Override
            public void skipped(int index) {
            }
        });
    }

    /**
     * Scans every input; {@code done} gets each input's result as soon as it and every input before it
     * are scanned (in input order, on the calling thread), so a report can be written while later inputs
     * are still being scanned.
     */
    ScanReport scan(ScanInputs inputs, ResultSink done) {
        List<ScanResult> results = new ArrayList<>();
        List<ScanInputs.Skipped> skipped = new ArrayList<>(inputs.skipped());
        List<ScanInputs.Input> all = inputs.inputs();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "mayfly-scan");
            t.setDaemon(true);
            return t;
        });
        ScanProgress progress = new ScanProgress(progressTo, nanos, all.size());
        try {
            List<Work> work = new ArrayList<>();
            for (ScanInputs.Input input : all) {
                work.add(plan(input));
            }
            // The largest units first, so the last to finish are small and no core waits on one big file.
            List<Unit> units = new ArrayList<>();
            work.forEach(w -> units.addAll(w.units));
            units.sort(Comparator.comparingLong(Unit::cost).reversed());
            for (Unit u : units) {
                u.future = pool.submit(u.task);
            }
            for (int i = 0; i < work.size(); i++) {
                Outcome o = work.get(i).outcome();
                if (o.result != null) {
                    results.add(o.result);
                    done.accept(i, o.result);
                } else {
                    skipped.add(o.skipped);
                    done.skipped(i);
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

    /** Gets each input's result, or that it was skipped, in input order. */
    interface ResultSink {
        void accept(int index, ScanResult result);

        void skipped(int index);
    }

    private static long size(ScanInputs.Input input) {
        try {
            return Files.size(input.file());
        } catch (IOException e) {
            return -1;
        }
    }

    /**
     * What scanning one input takes: stdin and small files are one unit; a file of more than
     * {@code splitBytes} is scanned as parts ({@link FileParts}) that run at once. A binary file found by
     * a walk is skipped here; a file that cannot be opened is an error when named, skipped when found.
     */
    private Work plan(ScanInputs.Input input) {
        if (input.isStdin()) {
            return Work.single(new Unit(Long.MAX_VALUE, () -> scanOne(input)));
        }
        long size;
        try {
            size = Files.size(input.file());
            if (!input.named() && !scanBinary && looksBinary(input.file())) {
                return Work.done(new Outcome(null, new ScanInputs.Skipped(input.name(), "binary")));
            }
        } catch (IOException e) {
            return unreadable(input);
        }
        if (size < splitBytes) {
            return Work.single(new Unit(size, () -> scanOne(input)));
        }
        FileParts parts;
        try {
            parts = scanner.parts(input.file(), input.name(), partBytes);
        } catch (IOException e) {
            return unreadable(input);
        }
        List<Unit> units = new ArrayList<>();
        for (FileParts.Task t : parts.tasks()) {
            // Reassembling streams reads every byte but scans few: a fraction of a part's cost per byte.
            units.add(new Unit(t.streamsOnly() ? t.bytes() / 4 : t.bytes(), () -> {
                t.call();
                return null;
            }));
        }
        return new Work(units, () -> {
            try {
                return new Outcome(parts.result(), null);
            } catch (IOException e) {
                return unreadable(input).fixed;
            }
        });
    }

    private Work unreadable(ScanInputs.Input input) {
        if (input.named()) {
            throw new MayflyException(ErrorCode.PRECONDITION, "Cannot read " + scanner.redactor().redact(input.name()) + ".");
        }
        return Work.done(new Outcome(null, new ScanInputs.Skipped(input.name(), "unreadable")));
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
            return new Outcome(scanner.scan(in, input.name()), null);
        } catch (IOException e) {
            return unreadable(input).fixed;
        }
    }

    private static Object await(Future<?> f) {
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
            throw new UnitFailed();
        }
    }

    /** A unit's task failed reading its file; the input's outcome says what that means. */
    private static final class UnitFailed extends RuntimeException {
        UnitFailed() {
            super(null, null, false, false);
        }
    }

    /** A task of the pool, with what it costs (bytes, about) for the largest-first order. */
    private static final class Unit {
        final long cost;
        final Callable<?> task;
        Future<?> future;

        Unit(long cost, Callable<?> task) {
            this.cost = cost;
            this.task = task;
        }

        long cost() {
            return cost;
        }
    }

    /** The units of one input and how their results become its outcome. */
    private static final class Work {
        final List<Unit> units;
        final Supplier<Outcome> combine;
        final Outcome fixed;

        Work(List<Unit> units, Supplier<Outcome> combine) {
            this(units, combine, null);
        }

        private Work(List<Unit> units, Supplier<Outcome> combine, Outcome fixed) {
            this.units = units;
            this.combine = combine;
            this.fixed = fixed;
        }

        static Work done(Outcome o) {
            return new Work(List.of(), null, o);
        }

        static Work single(Unit u) {
            return new Work(List.of(u), () -> (Outcome) await(u.future));
        }

        /** Waits for the units (in order, so an error of the input's own comes out), then combines. */
        Outcome outcome() {
            if (fixed != null) {
                return fixed;
            }
            boolean failed = false;
            for (Unit u : units) {
                try {
                    await(u.future);
                } catch (UnitFailed e) {
                    failed = true;
                }
            }
            if (failed && units.size() == 1) {
                throw new MayflyException(ErrorCode.INTERNAL, "Scanning failed.");
            }
            return combine.get();
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

    /** Git's heuristic on a file's first bytes. */
    static boolean looksBinary(Path file) throws IOException {
        try (InputStream raw = Files.newInputStream(file);
             BufferedInputStream in = new BufferedInputStream(raw, SNIFF_BYTES)) {
            return looksBinary(in);
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
