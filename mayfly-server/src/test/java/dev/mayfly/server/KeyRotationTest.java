package dev.mayfly.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import dev.mayfly.server.testing.BrokerClient;
import dev.mayfly.server.testing.BrokerExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Rotation publishes the next key before signing with it and keeps the old one until its last token expired. */
class KeyRotationTest {
    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    private static List<String> publishedKids() throws Exception {
        return JWKSet.parse(broker.client().get("/jwks.json", null).raw()).getKeys().stream().map(k -> k.getKeyID()).toList();
    }

    private static String kidOf(String token) throws Exception {
        return SignedJWT.parse(token).getHeader().getKeyID();
    }

    @Test
    void theNextKeyIsPublishedFirstThenSignsThenTheOldOneIsWithdrawn() throws Exception {
        BrokerClient client = broker.client();
        String admin = client.adminToken(broker.adminCredentials());
        String oldKid = kidOf(admin);
        BrokerClient.Response r = client.postJson("/v1/keys/rotate", admin, Map.of("publish_ahead_s", 60));
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        String newKid = r.body().at("/data/kid").asText();
        assertThat(newKid).isNotEqualTo(oldKid);

        // published at once, not signing yet
        assertThat(publishedKids()).containsExactlyInAnyOrder(oldKid, newKid);
        String beforeSwitch = client.adminToken(broker.adminCredentials());
        assertThat(kidOf(beforeSwitch)).isEqualTo(oldKid);
        JsonNode keys = client.get("/v1/keys", beforeSwitch).body().at("/data/keys");
        assertThat(keys.findValuesAsText("state")).containsExactlyInAnyOrder("active", "next");

        // after the publish delay, the new key signs; tokens of the old one still verify
        broker.clock().advance(Duration.ofSeconds(61));
        broker.broker().keys().reload();
        String afterSwitch = client.adminToken(broker.adminCredentials());
        assertThat(kidOf(afterSwitch)).isEqualTo(newKid);
        assertThat(publishedKids()).contains(oldKid);
        JsonNode agent = client.createAgent(afterSwitch, "rotating", "interactive", List.of("r:read"), List.of());
        String oldSigned = client.login(agent.get("client_id").asText(), agent.get("client_secret").asText()).body()
                .get("access_token").asText();
        assertThat(kidOf(oldSigned)).isEqualTo(newKid);

        // once every token the old key signed has expired (longest lifetime + leeway), it is withdrawn
        broker.clock().advance(Duration.ofMinutes(16));
        broker.broker().keys().reload();
        assertThat(publishedKids()).containsExactly(newKid);
        assertThat(client.get("/v1/whoami", client.adminToken(broker.adminCredentials())).status()).isEqualTo(200);
    }

    @Test
    void aPublishAheadShorterThanTwoKeyReloadsIsRefusedAsUsage() throws Exception {
        BrokerClient client = broker.client();
        String admin = client.adminToken(broker.adminCredentials());
        List<String> before = publishedKids();
        for (long tooShort : new long[] {0, 1, 9}) {
            BrokerClient.Response r = client.postJson("/v1/keys/rotate", admin, Map.of("publish_ahead_s", tooShort));
            assertThat(r.status()).as(r.raw()).isEqualTo(400);
            assertThat(r.body().at("/error/code").asText()).isEqualTo("USAGE");
            assertThat(r.body().at("/error/message").asText()).contains("at least 10 s").contains("reloads its keys");
        }
        assertThat(publishedKids()).as("nothing was rotated").isEqualTo(before);
        // twice the reload interval is the shortest accepted
        BrokerClient.Response ok = client.postJson("/v1/keys/rotate", admin, Map.of("publish_ahead_s", 10));
        assertThat(ok.status()).as(ok.raw()).isEqualTo(200);
        assertThat(publishedKids()).hasSize(before.size() + 1);
    }
}
