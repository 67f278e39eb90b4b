package dev.mayfly.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.server.testing.BrokerClient;
import dev.mayfly.server.testing.BrokerExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * No API call re-enables an agent, so an operator's disable (the agents API, a revocation of an agent, the
 * console's button) may not take away the last enabled admin; a leaked admin secret is revoked all the same.
 */
class LastAdminTest {
    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    @Test
    void theLastAdminStaysUntilAnotherTakesOverAndALeakRevokesItAnyway() {
        BrokerClient client = broker.client();
        JsonNode bootstrap = broker.adminCredentials();
        String bootstrapId = bootstrap.get("agent_id").asText();
        String token = client.adminToken(bootstrap);

        BrokerClient.Response self = client.postJson("/v1/agents/" + bootstrapId + "/disable", token, Map.of());
        assertConflictNaming(self, bootstrapId);
        BrokerClient.Response viaRevocation = client.postJson("/v1/revocations", token, Map.of("agent_id", bootstrapId));
        assertConflictNaming(viaRevocation, bootstrapId);
        assertThat(client.get("/v1/whoami", token).status()).as("nothing was revoked").isEqualTo(200);
        assertThat(client.get("/v1/agents/" + bootstrapId, token).body().at("/data/disabled").asBoolean()).isFalse();

        JsonNode second = client.createAgent(token, "second-admin", "interactive", List.of("mayfly:admin"), List.of());
        BrokerClient.Response handover = client.postJson("/v1/agents/" + bootstrapId + "/disable", token, Map.of());
        assertThat(handover.status()).as(handover.raw()).isEqualTo(200);
        assertThat(client.get("/v1/whoami", token).status()).as("the disabled admin's own session ended").isEqualTo(401);

        String secondId = second.get("agent_id").asText();
        String secondToken = client.adminToken(second);
        assertConflictNaming(client.postJson("/v1/agents/" + secondId + "/disable", secondToken, Map.of()), secondId);

        BrokerClient.Response leak = client.postJson("/v1/leaks", null,
                Map.of("tokens", List.of(second.get("client_secret").asText())));
        assertThat(leak.status()).as(leak.raw()).isEqualTo(200);
        assertThat(leak.body().at("/data/results/0/status").asText()).isEqualTo("revoked");
        assertThat(client.get("/v1/whoami", secondToken).status()).as("a leaked last admin is revoked").isEqualTo(401);
    }

    private static void assertConflictNaming(BrokerClient.Response r, String agentId) {
        assertThat(r.status()).as(r.raw()).isEqualTo(409);
        assertThat(r.body().at("/error/code").asText()).isEqualTo("CONFLICT");
        assertThat(r.body().at("/error/message").asText())
                .contains(agentId, "last enabled admin", "mayfly agent create NAME --scope mayfly:admin");
    }
}
