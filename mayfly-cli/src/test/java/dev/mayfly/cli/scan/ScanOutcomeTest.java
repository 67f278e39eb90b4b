package dev.mayfly.cli.scan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyError;
import dev.mayfly.scanner.SecretScanner;
import java.util.List;
import org.junit.jupiter.api.Test;

/** docs/scanner.md's exit codes and their precedence: revocation errors over found over clean; --exit-code only for found. */
class ScanOutcomeTest {
    private static final SecretScanner SCANNER = SecretScanner.create();

    private static ScanReport report(String text) {
        return new ScanReport(List.of(SCANNER.scan(text, "in.log")), List.of());
    }

    private static Revocation failed(ErrorCode code) {
        return new Revocation("http://broker", List.of(), MayflyError.builder(code, "it failed").retryAfterMs(250).build());
    }

    @Test
    void cleanIsZeroAndFoundIsConflictSixWithCounts() {
        assertThat(ScanOutcome.of(report("nothing here\n"), null, null)).isEqualTo(new ScanOutcome(null, 0));
        ScanOutcome found = ScanOutcome.of(report("a " + Planted.githubPat(1) + " b " + Planted.unknownRefreshToken()), null, null);
        assertThat(found.exitCode()).isEqualTo(6);
        assertThat(found.error().code()).isEqualTo(ErrorCode.CONFLICT);
        assertThat(found.error().message()).isEqualTo("2 secrets found (1 Mayfly credential).");
        assertThat(found.error().details()).containsEntry("findings", 2).containsEntry("mayfly", 1);
        assertThat(found.error().retryable()).isFalse();
    }

    @Test
    void exitCodeOverrideAppliesOnlyToFound() {
        ScanReport dirty = report("k " + Planted.githubPat(2));
        assertThat(ScanOutcome.of(dirty, null, 1).exitCode()).isEqualTo(1);
        assertThat(ScanOutcome.of(dirty, null, 0)).isEqualTo(new ScanOutcome(null, 0));
        assertThat(ScanOutcome.of(report("clean"), null, 42).exitCode()).isZero();
        assertThat(ScanOutcome.of(dirty, failed(ErrorCode.UNAVAILABLE), 0).exitCode()).as("revocation errors keep their code")
                .isEqualTo(12);
    }

    @Test
    void revocationErrorsOutrankFoundAndMapToTheirCodes() {
        ScanReport dirty = report("k " + Planted.unknownRefreshToken());
        ScanOutcome down = ScanOutcome.of(dirty, failed(ErrorCode.UNAVAILABLE), null);
        assertThat(down.exitCode()).isEqualTo(12);
        assertThat(down.error().retryAfterMs()).isEqualTo(250L);
        assertThat(down.error().message()).startsWith("1 secret found (1 Mayfly credential); 0 not reported to http://broker");
        assertThat(ScanOutcome.of(dirty, failed(ErrorCode.RATE_LIMITED), null).exitCode()).isEqualTo(9);
        ScanOutcome partial = ScanOutcome.of(dirty, failed(ErrorCode.TIMEOUT), null);
        assertThat(partial.exitCode()).isEqualTo(3);
        assertThat(partial.error().code()).isEqualTo(ErrorCode.PARTIAL_FAILURE);
        assertThat(partial.error().details()).containsEntry("cause", "TIMEOUT");
        assertThat(ScanOutcome.of(dirty, new Revocation("u", List.of(), null), null).exitCode()).as("all revoked: still found")
                .isEqualTo(6);
    }

    @Test
    void worseFollowsThePrecedence() {
        MayflyError down = MayflyError.of(ErrorCode.UNAVAILABLE, "d");
        MayflyError limited = MayflyError.of(ErrorCode.RATE_LIMITED, "l");
        MayflyError other = MayflyError.of(ErrorCode.INTERNAL, "o");
        assertThat(LeakReporter.worse(null, other)).isSameAs(other);
        assertThat(LeakReporter.worse(other, limited)).isSameAs(limited);
        assertThat(LeakReporter.worse(down, limited)).isSameAs(down);
        assertThat(LeakReporter.worse(limited, other)).isSameAs(limited);
    }
}
