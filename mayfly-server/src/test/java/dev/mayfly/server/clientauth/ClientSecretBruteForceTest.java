package dev.mayfly.server.clientauth;

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

/**
 * Guessing client secrets, from several source addresses (127.0.0.x over real sockets): failed client
 * authentication is limited per client id and per address (a burst of 10, then one a second), on every
 * endpoint that checks a client secret; once limited, even the right secret is refused until the window
 * passes; and an attacker hammering one client from its address does not lock another client out from
 * another address.
 */
class ClientSecretBruteForceTest {
    private static final String WRONG = "mfy_cs_" + "0".repeat(38);
    private static final int BURST = 10;

    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    private static int agents;

    @BeforeEach
    void freshWindow() {
        broker.clock().advance(Duration.ofMinutes(1)); // every bucket is full again
    }

    private static JsonNode agent() {
        BrokerClient client = broker.client();
        return client.createAgent(client.adminToken(broker.adminCredentials()), "target-" + (++agents), "interactive",
                List.of("t:read"), List.of());
    }

    private static AddressedClient from(String address) {
        return new AddressedClient(address, broker.broker().port());
    }

    private static void assertLimited(AddressedClient.Response r) {
        assertThat(r.status()).as("%s", r.body()).isEqualTo(429);
        assertThat(r.code()).isEqualTo("RATE_LIMITED");
        assertThat(r.body().get("retry_after_ms").asLong()).isPositive();
    }

    @Test
    void oneClientHammeredFromOneAddressDoesNotLockOutAnotherClientFromAnother() {
        JsonNode a = agent();
        JsonNode b = agent();
        String idA = a.get("client_id").asText();
        AddressedClient attacker = from("127.0.0.2");
        AddressedClient legit = from("127.0.0.3");
        for (int i = 0; i < BURST; i++) {
            assertThat(attacker.login(idA, WRONG).status()).isEqualTo(401);
        }
        assertLimited(attacker.login(idA, WRONG));
        AddressedClient.Response rightButLimited = legit.login(idA, a.get("client_secret").asText());
        assertLimited(rightButLimited); // the limit is on the client id: the right secret waits too

        assertThat(legit.login(b.get("client_id").asText(), b.get("client_secret").asText()).status())
                .as("client B from another address").isEqualTo(200);

        broker.clock().advance(Duration.ofMillis(rightButLimited.body().get("retry_after_ms").asLong()));
        assertThat(legit.login(idA, a.get("client_secret").asText()).status()).as("after the window").isEqualTo(200);
    }

    @Test
    void sprayingManyClientIdsFromOneAddressIsLimitedPerAddress() {
        JsonNode victim = agent();
        AddressedClient sprayer = from("127.0.0.4");
        for (int i = 0; i < BURST; i++) {
            assertThat(sprayer.login("guessed-client-" + i, WRONG).status()).isEqualTo(401);
        }
        assertLimited(sprayer.login("guessed-client-x", WRONG));
        AddressedClient.Response limited = sprayer.login(victim.get("client_id").asText(),
                victim.get("client_secret").asText());
        assertLimited(limited); // right secret, limited address

        assertThat(from("127.0.0.5").login(victim.get("client_id").asText(), victim.get("client_secret").asText())
                .status()).as("the same client from another address").isEqualTo(200);
        broker.clock().advance(Duration.ofMillis(limited.body().get("retry_after_ms").asLong()));
        assertThat(sprayer.login(victim.get("client_id").asText(), victim.get("client_secret").asText()).status())
                .isEqualTo(200);
    }

    @Test
    void everyEndpointThatChecksAClientSecretCountsFailuresAndRefusesOnceLimited() {
        JsonNode c = agent();
        String id = c.get("client_id").asText();
        String secret = c.get("client_secret").asText();
        BrokerClient.Response session = broker.client().login(id, secret);
        String accessToken = session.body().get("access_token").asText();
        String refreshToken = session.body().get("refresh_token").asText();
        List<Map<String, String>> forms = List.of(
                Map.of("grant_type", "client_credentials"),
                Map.of("grant_type", "refresh_token", "refresh_token", refreshToken),
                Map.of("grant_type", "urn:ietf:params:oauth:grant-type:token-exchange", "subject_token", accessToken,
                        "subject_token_type", "urn:ietf:params:oauth:token-type:access_token"),
                Map.of("token", accessToken),
                Map.of("token", accessToken));
        List<String> paths = List.of("/oauth/token", "/oauth/token", "/oauth/token", "/oauth/introspect", "/oauth/revoke");

        AddressedClient attacker = from("127.0.0.6");
        for (int i = 0; i < BURST; i++) {
            AddressedClient.Response r = attacker.post(paths.get(i % 5), forms.get(i % 5), id, WRONG);
            assertThat(r.status()).as("%s: %s", paths.get(i % 5), r.body()).isEqualTo(401);
            assertThat(r.code()).isEqualTo("CREDENTIALS_INVALID");
        }
        AddressedClient owner = from("127.0.0.7");
        for (int i = 0; i < 5; i++) {
            assertLimited(owner.post(paths.get(i), forms.get(i), id, secret));
        }
        // Nothing was used up while refused: the refresh token still rotates once the window has passed.
        broker.clock().advance(Duration.ofSeconds(2));
        assertThat(owner.post(paths.get(1), forms.get(1), id, secret).status()).isEqualTo(200);
    }
}
