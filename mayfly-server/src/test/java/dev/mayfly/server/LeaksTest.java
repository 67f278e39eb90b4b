package dev.mayfly.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.server.testing.BrokerClient;
import dev.mayfly.server.testing.BrokerExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Leaked credentials reported to /v1/leaks are revoked whatever their remaining life, once. */
class LeaksTest {
    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    private BrokerClient client;
    private JsonNode agent;

    @BeforeEach
    void agent() {
        broker.clock().advance(Duration.ofSeconds(10)); // refills the per-address report budget
        client = broker.client();
        agent = client.createAgent(client.adminToken(broker.adminCredentials()), "leaky-" + System.nanoTime(), "llm",
                List.of("x:read"), List.of());
    }

    private JsonNode login() {
        return client.login(agent.get("client_id").asText(), agent.get("client_secret").asText()).body();
    }

    private JsonNode report(Object body) {
        BrokerClient.Response r = client.postJson("/v1/leaks", null, body);
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        return r.body().at("/data/results");
    }

    @Test
    void aLeakedTaskTokenIsRevokedAtOnceAndItsSessionLivesOn() {
        JsonNode s = login();
        String task = client.exchange(s.get("access_token").asText(), Map.of()).body().get("access_token").asText();
        JsonNode result = report(Map.of("tokens", List.of(Map.of("token", task, "source", "ci-log.txt:12")))).get(0);
        assertThat(result.get("status").asText()).isEqualTo("revoked");
        assertThat(result.get("type").asText()).isEqualTo("task_token");
        assertThat(client.get("/v1/whoami", task).body().at("/error/code").asText()).isEqualTo("CREDENTIALS_REVOKED");
        assertThat(client.get("/v1/whoami", s.get("access_token").asText()).status()).isEqualTo(200);

        JsonNode again = report(Map.of("tokens", List.of(task))).get(0);
        assertThat(again.get("status").asText()).isEqualTo("already_reported");
        assertThat(again.get("fingerprint").asText()).isEqualTo(result.get("fingerprint").asText());
    }

    @Test
    void aLeakedSessionTokenOrRefreshTokenEndsTheSession() {
        JsonNode s1 = login();
        report(Map.of("tokens", List.of(s1.get("access_token").asText())));
        assertThat(client.refresh(s1.get("refresh_token").asText()).body().get("code").asText()).isEqualTo("CREDENTIALS_REVOKED");

        JsonNode s2 = login();
        JsonNode r = report(List.of(Map.of("token", s2.get("refresh_token").asText(), "type", "mayfly_refresh_token",
                "url", "https://github.com/org/repo/blob/abc/log.txt", "source", "content"))).get(0);
        assertThat(r.get("type").asText()).isEqualTo("refresh_token");
        assertThat(r.get("status").asText()).isEqualTo("revoked");
        assertThat(client.get("/v1/whoami", s2.get("access_token").asText()).body().at("/error/code").asText())
                .isEqualTo("CREDENTIALS_REVOKED");
    }

    @Test
    void aLeakedClientSecretDisablesItsAgent() {
        String secret = agent.get("client_secret").asText();
        JsonNode r = report(Map.of("tokens", List.of(secret))).get(0);
        assertThat(r.get("type").asText()).isEqualTo("client_secret");
        assertThat(r.get("status").asText()).isEqualTo("revoked");
        BrokerClient.Response login = client.login(agent.get("client_id").asText(), secret);
        assertThat(login.status()).isEqualTo(401);
        assertThat(login.body().get("code").asText()).isEqualTo("CREDENTIALS_REVOKED");
    }

    @Test
    void lookAlikesExpiredTokensAndStrangersAreToldApart() {
        JsonNode s = login();
        String session = s.get("access_token").asText();
        broker.clock().advance(Duration.ofMinutes(20));
        JsonNode results = report(Map.of("tokens", List.of(session, "mfy_rt_" + "A".repeat(38), "ghp_notoursatall",
                "mfy_rt_" + "0".repeat(32) + "000000")));
        assertThat(results.get(0).get("status").asText()).isEqualTo("expired");
        assertThat(results.get(1).get("status").asText()).isEqualTo("not_mayfly"); // bad checksum
        assertThat(results.get(2).get("status").asText()).isEqualTo("not_mayfly");
        String audit = client.get("/v1/audit?event=leak.reported&limit=1000", client.adminToken(broker.adminCredentials())).raw();
        assertThat(audit).doesNotContain(session);
    }

    @Test
    void reportsAreRateLimitedPerAddress() {
        int limited = 0;
        long retryAfter = 0;
        for (int i = 0; i < 40; i++) {
            BrokerClient.Response r = client.postJson("/v1/leaks", null, Map.of("tokens", List.of("junk-" + i)));
            if (r.status() == 429) {
                limited++;
                retryAfter = r.body().at("/error/retry_after_ms").asLong();
                assertThat(r.body().at("/error/code").asText()).isEqualTo("RATE_LIMITED");
                assertThat(r.header("Retry-After")).isNotNull();
            }
        }
        assertThat(limited).isGreaterThan(0);
        assertThat(retryAfter).isPositive();
    }
}
