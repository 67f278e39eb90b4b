package dev.mayfly.client.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.core.secret.Secret;
import dev.mayfly.server.testing.BrokerClient;
import dev.mayfly.server.testing.BrokerExtension;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** Registers agents on a test broker, as its admin. */
public final class Agents {
    private static final AtomicInteger SEQ = new AtomicInteger();

    private Agents() {
    }

    /** A registered agent: its id and its client credentials. */
    public record Agent(String agentId, String clientId, Secret clientSecret) {
    }

    public static Agent create(BrokerExtension broker, List<String> scopes, List<String> audiences) {
        BrokerClient c = broker.client();
        String admin = c.adminToken(broker.adminCredentials());
        JsonNode a = c.createAgent(admin, "agent-" + SEQ.incrementAndGet() + "-" + System.nanoTime(), "interactive", scopes,
                audiences);
        return new Agent(a.get("agent_id").asText(), a.get("client_id").asText(), Secret.of(a.get("client_secret").asText()));
    }

    public static void disable(BrokerExtension broker, Agent agent) {
        BrokerClient c = broker.client();
        String admin = c.adminToken(broker.adminCredentials());
        BrokerClient.Response r = c.postJson("/v1/agents/" + agent.agentId() + "/disable", admin, Map.of("reason", "test"));
        if (r.status() != 200) {
            throw new IllegalStateException("disable failed: " + r.status());
        }
    }

    /** GET /v1/whoami with a token; the response. */
    public static BrokerClient.Response whoami(BrokerExtension broker, Secret token) {
        return broker.client().get("/v1/whoami", token.reveal());
    }
}
