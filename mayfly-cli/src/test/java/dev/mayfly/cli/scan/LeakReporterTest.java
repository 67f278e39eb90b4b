package dev.mayfly.cli.scan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.client.MayflyHttp;
import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.scanner.Finding;
import dev.mayfly.scanner.SecretScanner;
import dev.mayfly.server.testing.BrokerClient;
import dev.mayfly.server.testing.BrokerExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Reporting found credentials to a real broker: batches, the broker's answers, its rate limit waited out once. */
class LeakReporterTest {
    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    private static final SecretScanner SCANNER = SecretScanner.create();
    private final MayflyHttp http = MayflyHttp.builder().requestTimeout(Duration.ofSeconds(10)).build();
    private final List<Duration> pauses = new ArrayList<>();

    @BeforeEach
    void fullBucket() {
        // The leak endpoint's limiter refills with the broker's clock: an hour later every bucket is full.
        broker.clock().advance(Duration.ofHours(1));
    }

    private static JsonNode login(String name) {
        BrokerClient c = broker.client();
        JsonNode agent = c.createAgent(c.adminToken(broker.adminCredentials()), name, "interactive", List.of("orders:read"), List.of());
        return c.login(agent.get("client_id").asText(), agent.get("client_secret").asText()).body();
    }

    private static List<Finding> found(String text) {
        ScanReport report = new ScanReport(List.of(SCANNER.scan(text, "agent.log")), List.of());
        return report.mayflyFindings();
    }

    @Test
    void eachTokenGetsTheBrokersAnswerAndOtherIssuersTokensAreNotSent() {
        String access = login("leaky-a").get("access_token").asText();
        String refresh = login("leaky-b").get("refresh_token").asText();
        String unknown = Planted.unknownRefreshToken();
        String foreign = Planted.foreignAccessToken("https://other.example", 3);
        List<Finding> leaked = found("a " + access + "\nb " + refresh + "\nc " + unknown + "\nd " + foreign + "\ne " + access + "\n");
        assertThat(leaked).as("one finding per distinct secret").hasSize(4);

        Revocation r = new LeakReporter(http, broker.issuer(), 2, pauses::add).report(leaked);

        assertThat(r.failure()).isNull();
        assertThat(r.outcomes()).extracting(Revocation.Outcome::status)
                .containsExactly("revoked", "revoked", "unknown", "other_issuer");
        assertThat(r.outcomes()).extracting(Revocation.Outcome::foundAt)
                .containsExactly("agent.log:1:3", "agent.log:2:3", "agent.log:3:3", "agent.log:4:3");
        assertThat(r.outcomes().get(0).type()).isEqualTo("session_token");
        assertThat(r.outcomes().get(0).fingerprint()).isEqualTo(leaked.get(0).fingerprint());
        assertThat(broker.client().get("/v1/whoami", access).body().at("/error/code").asText()).isEqualTo("CREDENTIALS_REVOKED");
        BrokerClient.Response refreshed = broker.client().refresh(refresh);
        assertThat(refreshed.body().path("error").asText()).as(refreshed.raw()).isEqualTo("invalid_grant");
        assertThat(refreshed.body().path("code").asText()).as(refreshed.raw()).isEqualTo("CREDENTIALS_REVOKED");

        Revocation again = new LeakReporter(http, broker.issuer(), 100, pauses::add).report(leaked.subList(0, 1));
        assertThat(again.outcomes()).singleElement().satisfies(o -> {
            assertThat(o.status()).isEqualTo("already_reported");
            assertThat(o.firstStatus()).isEqualTo("revoked");
        });
        assertThat(r.toMap()).containsEntry("revoked", 2L).containsEntry("reported", 3L).containsEntry("failed", 0L);
        assertThat(r.toMap().toString()).doesNotContain(access, refresh, unknown, foreign);
        assertThat(pauses).isEmpty();
    }

    private static List<Finding> unknownTokens(int n) {
        StringBuilder text = new StringBuilder();
        IntStream.range(0, n).forEach(i -> text.append("t ").append(Planted.unknownRefreshToken()).append('\n'));
        return found(text.toString());
    }

    @Test
    void aRateLimitIsWaitedOutOnceWithTheBrokersRetryAfter() {
        List<Finding> leaked = unknownTokens(25);
        // One token per request: the 21st request finds the bucket (burst 20) empty.
        Revocation r = new LeakReporter(http, broker.issuer(), 1, d -> {
            pauses.add(d);
            broker.clock().advance(d);
        }).report(leaked);

        assertThat(r.failure()).isNull();
        assertThat(r.outcomes()).hasSize(25).allMatch(o -> o.status().equals("unknown"));
        assertThat(pauses).isNotEmpty().allMatch(d -> d.toMillis() > 0 && d.toMillis() <= 1000);
    }

    @Test
    void aBrokerStillLimitingAfterTheWaitEndsTheReportingAsRateLimited() {
        List<Finding> leaked = unknownTokens(23);
        Revocation r = new LeakReporter(http, broker.issuer(), 1, pauses::add).report(leaked);

        assertThat(r.failure().code()).isEqualTo(ErrorCode.RATE_LIMITED);
        assertThat(r.failure().retryAfterMs()).isPositive();
        assertThat(pauses).as("waited once, then gave up").hasSize(1);
        assertThat(r.outcomes()).extracting(Revocation.Outcome::status).containsOnly("unknown", "failed", "not_sent");
        assertThat(r.count("unknown")).isEqualTo(20);
        assertThat(r.count("failed")).isEqualTo(1);
        assertThat(r.count("not_sent")).isEqualTo(2);
        assertThat(ScanOutcome.of(new ScanReport(List.of(), List.of()), r, null).exitCode()).isEqualTo(9);
    }

    @Test
    void anUnreachableBrokerIsUnavailableAndNothingIsSent() throws Exception {
        int closed;
        try (var s = new java.net.ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        Revocation r = new LeakReporter(http, "http://127.0.0.1:" + closed, 100, pauses::add).report(unknownTokens(2));
        assertThat(r.failure().code()).isEqualTo(ErrorCode.UNAVAILABLE);
        assertThat(r.outcomes()).extracting(Revocation.Outcome::status).containsExactly("not_sent", "not_sent");
        assertThat(r.toMap()).containsEntry("failed", 2L);
    }

    @Test
    void nothingFoundMeansNoRequest() throws Exception {
        Revocation r = new LeakReporter(http, "http://127.0.0.1:1", 100, pauses::add).report(List.of());
        assertThat(r.failure()).isNull();
        assertThat(r.outcomes()).isEmpty();
        assertThat(Map.copyOf(r.toMap())).containsEntry("reported", 0L);
    }
}
