package dev.mayfly.cli.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReportedErrorTest {
    @Test
    void readsTheEnvelopeOrABareErrorOrTheLastJsonLine() {
        assertThat(ReportedError.from("{\"ok\":false,\"error\":{\"code\":\"TOKEN_EXPIRED\"}}").orElseThrow().isExpiry()).isTrue();
        assertThat(ReportedError.from("{\"code\":\"FORBIDDEN\",\"message\":\"no\"}").orElseThrow().isDenial()).isTrue();
        assertThat(ReportedError.from("progress...\n{\"ok\":false,\"error\":{\"code\":\"X\",\"expired\":true}}\n")
                .orElseThrow().isExpiry()).isTrue();
        assertThat(ReportedError.from("Error: token expired")).isEmpty();
        assertThat(ReportedError.from("{\"ok\":true,\"data\":{}}")).isEmpty();
    }

    @Test
    void warningsAreAppendedToAnEnvelope() {
        var doc = ReportedError.parseDocument("{\"ok\":true,\"data\":1,\"error\":null,\"warnings\":[\"a\"],\"meta\":{}}").orElseThrow();
        assertThat(ReportedError.withWarnings(doc, List.of("b")).orElseThrow()).contains("\"warnings\":[\"a\",\"b\"]");
        assertThat(ReportedError.withWarnings(ReportedError.parseDocument("{\"x\":1}").orElseThrow(), List.of("b"))).isEmpty();
    }
}
