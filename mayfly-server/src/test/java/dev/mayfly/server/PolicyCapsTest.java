package dev.mayfly.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.core.policy.TtlPolicy;
import dev.mayfly.server.testing.BrokerClient;
import dev.mayfly.server.testing.BrokerExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Lifetimes shrink with privilege: what was asked is capped by tier, agent kind and session. */
class PolicyCapsTest {
    static final String PAYMENTS = "https://payments.example";

    @RegisterExtension
    static final BrokerExtension broker =
            BrokerExtension.withPolicy(TtlPolicy.builder().crossTrustAudience(PAYMENTS).build());

    static BrokerClient client;
    static String session;

    @BeforeAll
    static void setUp() {
        client = broker.client();
        JsonNode agent = client.createAgent(client.adminToken(broker.adminCredentials()), "capped", "interactive",
                List.of("reports:read", "reports:write", "reports:delete", "billing:admin"), List.of(PAYMENTS));
        session = client.login(agent.get("client_id").asText(), agent.get("client_secret").asText(),
                Map.of("scope", "reports:read reports:write reports:delete billing:admin")).body().get("access_token").asText();
    }

    private static JsonNode exchange(Map<String, String> params) {
        BrokerClient.Response r = client.exchange(session, params);
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        return r.body();
    }

    @Test
    void aOneHourRequestGetsTheTiersMaximum() {
        assertThat(exchange(Map.of("scope", "reports:read", "ttl", "3600")).get("expires_in").asLong()).isEqualTo(900);
        assertThat(exchange(Map.of("scope", "reports:write", "ttl", "3600")).get("expires_in").asLong()).isEqualTo(600);
        assertThat(exchange(Map.of("scope", "reports:delete", "ttl", "3600")).get("expires_in").asLong()).isEqualTo(300);
        JsonNode critical = exchange(Map.of("scope", "billing:admin", "ttl", "3600"));
        assertThat(critical.get("expires_in").asLong()).isEqualTo(120);
        assertThat(critical.get("tier").asText()).isEqualTo("critical");
        assertThat(critical.get("ttl_bound").asText()).isEqualTo("tier");
    }

    @Test
    void theHighestScopeDecidesAndAShortRequestIsHonoured() {
        assertThat(exchange(Map.of("scope", "reports:read reports:delete")).get("tier").asText()).isEqualTo("high");
        JsonNode shortOne = exchange(Map.of("scope", "reports:read", "ttl", "60"));
        assertThat(shortOne.get("expires_in").asLong()).isEqualTo(60);
        assertThat(shortOne.get("ttl_bound").asText()).isEqualTo("requested");
    }

    @Test
    void aCrossTrustAudienceIsHighTier() {
        JsonNode t = exchange(Map.of("scope", "reports:read", "audience", PAYMENTS, "ttl", "3600"));
        assertThat(t.get("tier").asText()).isEqualTo("high");
        assertThat(t.get("expires_in").asLong()).isEqualTo(300);
    }

    @Test
    void batchAgentsGetNoLongLifetimes() {
        JsonNode batch = client.createAgent(client.adminToken(broker.adminCredentials()), "nightly", "batch",
                List.of("reports:read"), List.of());
        JsonNode s = client.login(batch.get("client_id").asText(), batch.get("client_secret").asText(),
                Map.of("ttl", "3600")).body();
        assertThat(s.get("expires_in").asLong()).isEqualTo(600);
        assertThat(s.get("ttl_bound").asText()).isEqualTo("agent_kind");
    }

    @Test
    void ttlMustBeWholeSeconds() {
        BrokerClient.Response r = client.exchange(session, Map.of("ttl", "5m"));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body().get("error").asText()).isEqualTo("invalid_request");
        assertThat(r.body().get("code").asText()).isEqualTo("USAGE");
    }
}
