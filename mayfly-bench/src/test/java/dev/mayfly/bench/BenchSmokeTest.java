package dev.mayfly.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Every benchmark and load scenario runs in a tiny configuration, so none rots. Measures nothing. */
class BenchSmokeTest {
    @Test
    void everyBenchmarkAndScenarioRuns() throws Exception {
        String report = BenchMain.run(true);
        for (String name : new String[] {"signEdDSA", "signRS256", "verifyRawEdDSA", "verifierSeenBefore", "policyDecide",
            "opaqueParseAndChecksum", "scanAllDecoders", "scanNoDecoders", "| client_credentials | closed", "| token_exchange | closed", "| refresh | closed",
            "| introspection | closed", "| verified_endpoint | closed", "| token_exchange | open",
            "## Scanner corpus", "| mayfly_refresh_token |", "| stream_anthropic |", "all decoders"}) {
            assertThat(report).contains(name);
        }
        assertThat(report).doesNotContain("| 0 | 0 |"); // a scenario that completed no request
    }
}
