package dev.mayfly.cli.scan;

import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyError;

/**
 * The exit code and error of a scan that ran (docs/scanner.md, "Exit codes of mayfly scan"). Input errors
 * (2, 4, 5) are thrown before anything is scanned, so here the precedence is: a revocation error
 * ({@code UNAVAILABLE} 12, {@code RATE_LIMITED} 9, {@code PARTIAL_FAILURE} 3 for any other failed report)
 * over secrets found ({@code CONFLICT} 6, or the {@code --exit-code} chosen) over clean (0). Secrets found
 * and all revoked still exit 6: the leak happened. Immutable.
 *
 * @param error    {@code null} exactly when {@code exitCode} is 0
 */
record ScanOutcome(MayflyError error, int exitCode) {
    static final int FOUND = ErrorCode.CONFLICT.exitCode();

    static ScanOutcome of(ScanReport report, Revocation revocation, Integer foundExitCode) {
        if (revocation != null && revocation.failure() != null) {
            MayflyError cause = revocation.failure();
            ErrorCode code = cause.code() == ErrorCode.UNAVAILABLE || cause.code() == ErrorCode.RATE_LIMITED
                    ? cause.code() : ErrorCode.PARTIAL_FAILURE;
            long unreported = revocation.count("failed") + revocation.count("not_sent");
            MayflyError.Builder b = MayflyError.builder(code, report.headline() + "; " + unreported + " not reported to "
                            + revocation.url() + ": " + cause.message())
                    .detail("findings", report.findingCount())
                    .detail("mayfly", report.mayflyCount())
                    .detail("cause", cause.code().name());
            if (cause.retryAfterMs() != null && code.retryable()) {
                b.retryAfterMs(cause.retryAfterMs());
            }
            return new ScanOutcome(b.build(), code.exitCode());
        }
        if (report.isClean()) {
            return new ScanOutcome(null, 0);
        }
        int exit = foundExitCode == null ? FOUND : foundExitCode;
        if (exit == 0) {
            return new ScanOutcome(null, 0);
        }
        MayflyError found = MayflyError.builder(ErrorCode.CONFLICT, report.headline() + ".")
                .detail("findings", report.findingCount())
                .detail("mayfly", report.mayflyCount())
                .build();
        return new ScanOutcome(found, exit);
    }

    boolean ok() {
        return exitCode == 0;
    }
}
