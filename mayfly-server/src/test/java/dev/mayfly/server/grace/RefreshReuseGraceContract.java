package dev.mayfly.server.grace;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.server.testing.BrokerClient;
import dev.mayfly.server.testing.BrokerExtension;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Refresh-token reuse grace (issue 18, item 8), over real HTTP against two broker nodes of one database (on
 * SQLite both are the same node): a refresh answer lost on the network is retried at any node within the
 * policy's window (default 10 s) and gets the <em>same</em> successor, so the family does not fork; the
 * predecessor after the window, anything older than the immediate predecessor, and replays past the cap are
 * still reuse and revoke the family. Time is each node's {@code ManualClock}, moved together.
 */
abstract class RefreshReuseGraceContract {
    abstract BrokerExtension nodeA();

    abstract BrokerExtension nodeB();

    private JsonNode agent;

    private void advance(Duration d) {
        nodeA().clock().advance(d);
        if (nodeB() != nodeA()) {
            nodeB().clock().advance(d);
        }
    }

    private JsonNode login() {
        BrokerClient a = nodeA().client();
        if (agent == null) {
            agent = a.createAgent(a.adminToken(nodeA().adminCredentials()), "grace-" + System.nanoTime(), "interactive",
                    List.of("jobs:run"), List.of());
        }
        BrokerClient.Response r = a.login(agent.get("client_id").asText(), agent.get("client_secret").asText());
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        return r.body();
    }

    private static JsonNode ok(BrokerClient.Response r) {
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        return r.body();
    }

    private static void assertRevokedForReuse(BrokerClient.Response r) {
        assertThat(r.status()).as(r.raw()).isEqualTo(400);
        assertThat(r.body().get("code").asText()).isEqualTo("CREDENTIALS_REVOKED");
        assertThat(r.body().get("reason").asText()).isEqualTo("refresh token reuse");
    }

    @Test
    void aLostAnswerRetriedAtAnotherNodeWithinTheGraceGetsTheSameSuccessorAndTheChainGoesOn() {
        String rt0 = login().get("refresh_token").asText();
        JsonNode lost = ok(nodeA().client().refresh(rt0)); // the answer the client never saw
        advance(Duration.ofSeconds(9));

        JsonNode retried = ok(nodeB().client().refresh(rt0));
        String rt1 = retried.get("refresh_token").asText();
        assertThat(rt1).as("the same successor, not a fork of the family").isEqualTo(lost.get("refresh_token").asText());
        assertThat(retried.get("access_token").asText()).isNotEqualTo(lost.get("access_token").asText());
        assertThat(nodeB().client().get("/v1/whoami", retried.get("access_token").asText()).status()).isEqualTo(200);
        assertThat(nodeA().client().get("/v1/whoami", lost.get("access_token").asText()).status())
                .as("the session was not revoked").isEqualTo(200);

        JsonNode next = ok(nodeA().client().refresh(rt1));
        assertThat(next.get("refresh_token").asText()).isNotEqualTo(rt1);
        // rt0 is now two generations behind the live token: reuse, whatever the clock says
        assertRevokedForReuse(nodeB().client().refresh(rt0));
        assertThat(nodeA().client().refresh(next.get("refresh_token").asText()).body().get("code").asText())
                .as("the whole family is revoked").isEqualTo("CREDENTIALS_REVOKED");
    }

    @Test
    void afterTheGraceThePredecessorIsReuseAndRevokesTheFamily() {
        String rt0 = login().get("refresh_token").asText();
        JsonNode rotated = ok(nodeA().client().refresh(rt0));
        advance(Duration.ofSeconds(11));
        assertRevokedForReuse(nodeB().client().refresh(rt0));
        assertThat(nodeA().client().refresh(rotated.get("refresh_token").asText()).body().get("code").asText())
                .isEqualTo("CREDENTIALS_REVOKED");
        // at the node that revoked it (another node learns it through LISTEN/NOTIFY, a moment later)
        assertThat(nodeB().client().get("/v1/whoami", rotated.get("access_token").asText()).status()).isEqualTo(401);
    }

    @Test
    void replaysPastTheCapAreReuse() {
        String rt0 = login().get("refresh_token").asText();
        String rt1 = ok(nodeA().client().refresh(rt0)).get("refresh_token").asText();
        for (int i = 0; i < 3; i++) {
            BrokerExtension node = i % 2 == 0 ? nodeB() : nodeA();
            assertThat(ok(node.client().refresh(rt0)).get("refresh_token").asText()).isEqualTo(rt1);
        }
        assertRevokedForReuse(nodeB().client().refresh(rt0));
        assertThat(nodeA().client().refresh(rt1).body().get("code").asText()).isEqualTo("CREDENTIALS_REVOKED");
    }
}
