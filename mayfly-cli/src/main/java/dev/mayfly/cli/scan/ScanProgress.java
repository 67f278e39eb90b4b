package dev.mayfly.cli.scan;

import java.io.PrintStream;
import java.util.function.LongSupplier;

/**
 * Progress of a long {@code mayfly scan} on stderr: nothing for a scan that ends within a second (most do),
 * then a line a second saying how far it got, and a last line with the total. Stdout keeps only the report.
 * Time comes from a monotonic tick source (nanoseconds) so tests can move it.
 */
final class ScanProgress {
    static final long QUIET_NANOS = 1_000_000_000L;
    static final long EVERY_NANOS = 1_000_000_000L;

    private final PrintStream err;
    private final LongSupplier nanos;
    private final int total;
    private final long start;
    private long lastLine;
    private boolean spoke;
    private int done;
    private long bytes;

    ScanProgress(PrintStream err, LongSupplier nanos, int total) {
        this.err = err;
        this.nanos = nanos;
        this.total = total;
        this.start = nanos.getAsLong();
        this.lastLine = start;
    }

    /** One more input scanned, of this many bytes (-1 when unknown: stdin). */
    void scanned(long size) {
        done++;
        bytes += Math.max(0, size);
        long now = nanos.getAsLong();
        if (now - start >= QUIET_NANOS && (!spoke || now - lastLine >= EVERY_NANOS)) {
            err.printf("mayfly: scan: %d/%d inputs, %s, %.0f s%n", done, total, megabytes(bytes), (now - start) / 1e9);
            spoke = true;
            lastLine = now;
        }
    }

    /** The closing line, only when progress was shown. */
    void finished() {
        if (spoke) {
            err.printf("mayfly: scan: done, %d inputs, %s in %.1f s%n", done, megabytes(bytes),
                    (nanos.getAsLong() - start) / 1e9);
        }
    }

    private static String megabytes(long n) {
        return String.format("%.1f MB", n / 1_000_000.0);
    }
}
