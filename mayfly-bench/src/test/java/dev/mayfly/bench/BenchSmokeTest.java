package dev.mayfly.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Every benchmark and load scenario runs in a tiny configuration, so none rots. Measures nothing. */
class BenchSmokeTest {
    @Test
    void everyBenchmarkAndScenarioRuns() throws Exception {
        String report = BenchMain.run(true);
        for (String name : new String[] {"signEdDSA", "signEdDSATink", "signRS256", "verifyRawEdDSA", "verifierSeenBefore", "policyDecide",
            "opaqueParseAndChecksum", "scanAllDecoders", "scanNoDecoders", "| client_credentials | closed", "| token_exchange | closed", "| refresh | closed",
            "| introspection | closed", "| verified_endpoint | closed", "| token_exchange | open",
            "## Scanner corpus", "| mayfly_refresh_token |", "| stream_anthropic |", "all decoders"}) {
            assertThat(report).contains(name);
        }
        assertThat(report).doesNotContain("| 0 | 0 |"); // a scenario that completed no request
    }

    /** The socket open loop (bench/exchange.sh --rate) keeps to its schedule against a real broker. */
    @Test
    void theSocketOpenLoopSendsAtItsRate() throws Exception {
        try (BenchBroker broker = BenchBroker.start()) {
            LoadResult r = new LoadGenerator(broker.target()).openLoopSockets(Scenario.TOKEN_EXCHANGE, 100, Duration.ofSeconds(1), 4);

            assertThat(r.errors()).isZero();
            assertThat(r.requests()).isEqualTo(100);
            assertThat(r.row()).startsWith("| token_exchange | open 100 |");
        }
    }

    /**
     * The token-URL target mode (what bench/keycloak.sh points at Keycloak) against a Mayfly broker's token
     * endpoint: only the URL and the client's credentials are known, as for any foreign server.
     */
    @Test
    void aForeignTokenEndpointIsDrivenWithClientCredentials() throws Exception {
        try (BenchBroker broker = BenchBroker.start()) {
            Scenario.Target mayfly = broker.target();
            LoadGenerator load = new LoadGenerator(Scenario.Target.tokenEndpoint(mayfly.tokenUrl(), mayfly.clientId(),
                    mayfly.clientSecret()));

            LoadResult r = load.closedLoop(Scenario.CLIENT_CREDENTIALS, 2, Duration.ofMillis(500));

            assertThat(r.requests()).isPositive();
            assertThat(r.errors()).isZero();
            assertThatThrownBy(() -> load.closedLoop(Scenario.TOKEN_EXCHANGE, 1, Duration.ofMillis(100)))
                    .isInstanceOf(IllegalArgumentException.class);

            LoadResult wrongSecret = new LoadGenerator(Scenario.Target.tokenEndpoint(mayfly.tokenUrl(), mayfly.clientId(),
                    "not-the-secret")).closedLoop(Scenario.CLIENT_CREDENTIALS, 1, Duration.ofMillis(200));
            assertThat(wrongSecret.requests()).isZero();
            assertThat(wrongSecret.errors()).isPositive();
        }
    }
}
