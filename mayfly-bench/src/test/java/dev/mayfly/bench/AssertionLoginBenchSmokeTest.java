package dev.mayfly.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The assertion-login benchmark runs in a tiny configuration, so it does not rot. Measures nothing. */
class AssertionLoginBenchSmokeTest {
    @Test
    void everyLoginKindRuns() throws Exception {
        String report = AssertionLoginBench.report(20, 2);
        assertThat(report).contains("| client secret", "| private_key_jwt EdDSA", "| private_key_jwt ES256", "| federated RS256");
    }
}
