package dev.mayfly.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.server.testing.BrokerClient;
import dev.mayfly.server.testing.BrokerExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** /metrics in Prometheus text format, counting what the broker did; /readyz with its checks. */
class MetricsTest {
    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    @Test
    void countsIssuanceRevocationsAndDenialsWithLatencyHistograms() {
        BrokerClient client = broker.client();
        String admin = client.adminToken(broker.adminCredentials());
        JsonNode agent = client.createAgent(admin, "metered", "interactive", List.of("m:read"), List.of());
        JsonNode s = client.login(agent.get("client_id").asText(), agent.get("client_secret").asText()).body();
        client.exchange(s.get("access_token").asText(), Map.of());
        client.postJson("/v1/revocations", admin, Map.of("session_id", s.get("session_id").asText()));
        client.get("/v1/whoami", null);

        BrokerClient.Response r = client.get("/metrics", null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Type")).startsWith("text/plain");
        String text = r.raw();
        assertThat(text).contains("mayfly_tokens_issued_total{event=\"session.started\",tier=\"low\"} 1.0");
        assertThat(text).contains("mayfly_tokens_issued_total{event=\"token.exchanged\",tier=\"low\"} 1.0");
        assertThat(text).contains("mayfly_revocations_total{kind=\"session\"} 1.0");
        assertThat(text).contains("mayfly_denials_total{code=\"CREDENTIALS_MISSING\"}");
        assertThat(text).contains("mayfly_token_requests_seconds_bucket{grant=\"client_credentials\"");
        assertThat(text).contains("mayfly_token_requests_seconds_count{grant=\"token_exchange\"".replace("token_exchange",
                "urn:ietf:params:oauth:grant-type:token-exchange"));
        assertThat(text).contains("mayfly_http_requests_seconds_count{method=\"GET\",route=\"/v1/whoami\",status=\"401\"}");
        assertThat(text).contains("mayfly_feed_subscribers 0.0");
        assertThat(text).contains("jvm_memory_used_bytes");
    }

    @Test
    void readinessReportsEachCheck() {
        JsonNode ready = broker.client().get("/readyz", null).body();
        assertThat(ready.get("status").asText()).isEqualTo("ready");
        assertThat(ready.at("/checks/database").asBoolean()).isTrue();
        assertThat(ready.at("/checks/writable").asBoolean()).isTrue();
        assertThat(ready.at("/checks/audit_lock").asBoolean()).isTrue();
        assertThat(ready.at("/checks/signing_key").asBoolean()).isTrue();
        assertThat(ready.at("/checks/migrations").asBoolean()).isTrue();
    }
}
