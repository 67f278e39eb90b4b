package dev.mayfly.server.federation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.policy.PolicyFile;
import dev.mayfly.server.testing.BrokerClient;
import dev.mayfly.server.testing.BrokerExtension;
import dev.mayfly.server.testing.OidcIssuerStandIn;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A policy {@code [[attestation]]} rule raises the tier of sessions whose federated login attested a matching
 * claim: a pull-request workflow gets {@code high} (5-minute) tokens, for the login, its refreshes and its task
 * tokens alike, while a run on the main branch keeps the scope's tier.
 */
class AttestedTierTest {
    @RegisterExtension
    static final BrokerExtension broker = BrokerExtension.withPolicy(PolicyFile.parse(String.join("\n",
            "[[attestation]]",
            "claim = \"ref\"",
            "value = \"refs/pull/*\"",
            "tier = \"high\""), "test policy"));

    static final OidcIssuerStandIn actions = new OidcIssuerStandIn();

    @AfterAll
    static void stop() {
        actions.close();
    }

    @Test
    void aPullRequestRunGetsHighTierTokensThroughoutItsSession() {
        BrokerClient client = broker.client();
        String admin = client.adminToken(broker.adminCredentials());
        String clientId = Assertions.createAgent(client, admin, "ci", Assertions.federated(actions.url(),
                Map.of("repository", "acme/shop"))).get("client_id").asText();

        BrokerClient.Response main = Assertions.login(client, clientId, actions.actionsToken("acme/shop",
                "refs/heads/main", broker.issuer(), broker.clock().instant(), Duration.ofMinutes(5)));
        assertThat(main.status()).as(main.raw()).isEqualTo(200);
        assertThat(main.body().get("tier").asText()).isEqualTo("standard");
        assertThat(main.body().get("expires_in").asLong()).isEqualTo(600);

        BrokerClient.Response pr = Assertions.login(client, clientId, actions.actionsToken("acme/shop",
                "refs/pull/7/merge", broker.issuer(), broker.clock().instant(), Duration.ofMinutes(5)));
        assertThat(pr.status()).as(pr.raw()).isEqualTo(200);
        assertThat(pr.body().get("tier").asText()).isEqualTo("high");
        assertThat(pr.body().get("expires_in").asLong()).isEqualTo(300);

        BrokerClient.Response refreshed = client.refresh(pr.body().get("refresh_token").asText());
        assertThat(refreshed.status()).as(refreshed.raw()).isEqualTo(200);
        assertThat(refreshed.body().get("tier").asText()).as("the refresh keeps the attested tier").isEqualTo("high");

        BrokerClient.Response task = client.exchange(pr.body().get("access_token").asText(),
                Map.of("scope", "repo:read", "task_id", "t-1"));
        assertThat(task.status()).as(task.raw()).isEqualTo(200);
        assertThat(task.body().get("tier").asText()).as("repo:read alone would be low").isEqualTo("high");

        JsonNode records = client.get("/v1/audit?limit=1000", admin).body().at("/data/records");
        boolean recorded = false;
        for (JsonNode r : records) {
            recorded |= r.get("event").asText().equals("session.started")
                    && "high".equals(r.at("/details/attested_tier").asText(null));
        }
        assertThat(recorded).as("the login's audit record says which tier the attestation gave").isTrue();
    }
}
