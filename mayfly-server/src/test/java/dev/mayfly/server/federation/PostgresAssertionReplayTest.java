package dev.mayfly.server.federation;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.mayfly.server.crypto.MasterKey;
import dev.mayfly.server.testing.BrokerClient;
import dev.mayfly.server.testing.BrokerExtension;
import dev.mayfly.server.testing.OidcIssuerStandIn;
import dev.mayfly.server.testing.Postgres;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two broker nodes on one PostgreSQL: an assertion used at one node is a replay at the other, and of two
 * presented at the same moment to both nodes exactly one logs in (the used-jti table's unique insert decides).
 */
class PostgresAssertionReplayTest {
    private static final String URL = Postgres.shared().createDatabase();
    private static final Map<String, String> KEY = Map.of(MasterKey.ENV, MasterKey.generate("test").toBase64());

    @RegisterExtension
    @Order(1)
    static final BrokerExtension a = new BrokerExtension(b -> b.database(URL, Postgres.USER, null).env(KEY));

    @RegisterExtension
    @Order(2)
    static final BrokerExtension b = new BrokerExtension(b -> b.database(URL, Postgres.USER, null).env(KEY));

    static final OidcIssuerStandIn issuer = new OidcIssuerStandIn();

    @AfterAll
    static void stopIssuer() {
        issuer.close();
    }

    /** Each node's issuer URL is its own address; an assertion may name several audiences, one of them each node. */
    static String token(Instant now) {
        JWTClaimsSet base = issuer.claims(Map.of("sub", "system:serviceaccount:agents:summariser"), "x", now,
                Duration.ofMinutes(5));
        return OidcIssuerStandIn.sign(issuer.currentKey(), new JWTClaimsSet.Builder(base)
                .audience(List.of(a.issuer(), b.issuer())).build());
    }

    @Test
    void anAssertionUsedAtOneNodeIsAReplayAtTheOther() throws Exception {
        BrokerClient ca = a.client();
        String admin = ca.adminToken(a.adminCredentials());
        String clientId = Assertions.createAgent(ca, admin, "fed-pg", Assertions.federated(issuer.url(),
                Map.of("sub", "system:serviceaccount:agents:summariser"))).get("client_id").asText();
        String once = token(a.clock().instant());
        assertThat(Assertions.login(ca, clientId, once).status()).isEqualTo(200);
        FederatedLoginTest.refused(Assertions.login(b.client(), clientId, once), "replayed");

        for (int round = 0; round < 5; round++) {
            String raced = token(a.clock().instant());
            var atA = CompletableFuture.supplyAsync(() -> Assertions.login(a.client(), clientId, raced));
            var atB = CompletableFuture.supplyAsync(() -> Assertions.login(b.client(), clientId, raced));
            List<Integer> statuses = List.of(atA.get().status(), atB.get().status());
            assertThat(statuses).as("round " + round).containsExactlyInAnyOrder(200, 401);
        }
    }

    @Test
    void aKeyBoundAssertionIsAlsoOneUseAcrossNodes() throws Exception {
        BrokerClient ca = a.client();
        String admin = ca.adminToken(a.adminCredentials());
        OctetKeyPair key = new OctetKeyPairGenerator(Curve.Ed25519).keyID("pg").generate();
        String clientId = Assertions.createAgent(ca, admin, "key-pg", Map.of("public_key", key.toPublicJWK().toJSONObject()))
                .get("client_id").asText();
        Instant now = a.clock().instant();
        String assertion = Assertions.signAs(key, new JWTClaimsSet.Builder().issuer(clientId).subject(clientId)
                .audience(List.of(a.issuer(), b.issuer())).expirationTime(Date.from(now.plusSeconds(60)))
                .jwtID(UUID.randomUUID().toString()).build());
        assertThat(Assertions.login(b.client(), null, assertion).status()).isEqualTo(200);
        FederatedLoginTest.refused(Assertions.login(ca, null, assertion), "replayed");
    }
}
