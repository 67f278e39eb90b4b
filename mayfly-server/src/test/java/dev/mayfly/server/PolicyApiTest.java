package dev.mayfly.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.policy.PolicyDocument;
import dev.mayfly.core.policy.TtlPolicy;
import dev.mayfly.server.testing.BrokerClient;
import dev.mayfly.server.testing.BrokerExtension;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code GET /v1/policy}: the effective policy, to any authentic broker token, in the policy file's shape. */
class PolicyApiTest {
    static final TtlPolicy POLICY = TtlPolicy.builder().crossTrustAudience("https://payments.example")
            .sessionMax(Duration.ofMinutes(20)).build();

    @RegisterExtension
    static final BrokerExtension broker = BrokerExtension.withPolicy(POLICY);

    @Test
    void anyAgentReadsTheEffectivePolicyWhichReadsBackAsTheSamePolicy() {
        BrokerClient client = broker.client();
        JsonNode agent = client.createAgent(client.adminToken(broker.adminCredentials()), "policy-reader", "interactive",
                List.of("reports:read"), List.of());
        String token = client.login(agent.get("client_id").asText(), agent.get("client_secret").asText())
                .body().get("access_token").asText();
        BrokerClient.Response r = client.get("/v1/policy", token);
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        JsonNode data = r.body().get("data");
        assertThat(data.get("session_max").asText()).isEqualTo("20m");
        assertThat(data.at("/tiers/high").asText()).isEqualTo("5m");
        assertThat(data.at("/kinds/batch").asText()).isEqualTo("10m");
        assertThat(data.get("cross_trust_audiences").get(0).asText()).isEqualTo("https://payments.example");
        assertThat(data.get("scope").findValuesAsText("pattern")).containsExactly("*:admin", "*:delete", "*:read");
        assertThat(PolicyDocument.toMap(PolicyDocument.fromTree(data, "broker"))).isEqualTo(PolicyDocument.toMap(POLICY));
    }

    @Test
    void withoutATokenItIsCredentialsMissing() {
        BrokerClient.Response r = broker.client().get("/v1/policy", null);
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.body().at("/error/code").asText()).isEqualTo("CREDENTIALS_MISSING");
    }
}
