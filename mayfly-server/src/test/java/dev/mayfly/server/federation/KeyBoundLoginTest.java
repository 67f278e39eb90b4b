package dev.mayfly.server.federation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.mayfly.server.testing.BrokerClient;
import dev.mayfly.server.testing.BrokerExtension;
import java.time.Duration;
import java.util.Base64;
import java.util.Date;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Key-bound login ({@code private_key_jwt}, RFC 7523 §2.2 with {@code iss} = {@code sub} = the client id): an
 * agent registers its public key (JWK or PEM) and signs its own short assertions, with Ed25519 and EC P-256.
 */
class KeyBoundLoginTest {
    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    static BrokerClient client;
    static OctetKeyPair edKey;
    static ECKey ecKey;
    static String edClientId;
    static String ecClientId;

    @BeforeAll
    static void setUp() throws Exception {
        client = broker.client();
        String admin = client.adminToken(broker.adminCredentials());
        edKey = new OctetKeyPairGenerator(Curve.Ed25519).keyID("ed-1").generate();
        ecKey = new ECKeyGenerator(Curve.P_256).generate(); // no kid: the broker names it by its thumbprint
        edClientId = Assertions.createAgent(client, admin, "ed-agent",
                Map.of("public_key", edKey.toPublicJWK().toJSONObject())).get("client_id").asText();
        String pem = "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(ecKey.toECPublicKey().getEncoded()) + "\n-----END PUBLIC KEY-----\n";
        JsonNode ec = Assertions.createAgent(client, admin, "ec-agent", Map.of("public_key", pem));
        ecClientId = ec.get("client_id").asText();
        assertThat(ec.get("client_secret").isNull()).as("an agent registered with a key gets no secret").isTrue();
        assertThat(ec.at("/public_key/crv").asText()).isEqualTo("P-256");
        ecKey = new ECKey.Builder(ecKey).keyID(ec.at("/public_key/kid").asText()).build();
    }

    @BeforeEach
    void refillTheFailureBudget() {
        broker.clock().advance(Duration.ofSeconds(15));
    }

    @Test
    void anEd25519AgentLogsInWithItsOwnAssertionAndNoClientId() {
        String a = Assertions.privateKeyJwt(edKey, edClientId, broker.issuer(), broker.clock().instant(), Duration.ofMinutes(1));
        BrokerClient.Response r = Assertions.login(client, null, a);
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        assertThat(r.body().get("access_token").asText()).isNotEmpty();
    }

    @Test
    void anEcAgentRegisteredByPemLogsIn() {
        String a = Assertions.privateKeyJwt(ecKey, ecClientId, broker.issuer() + "/oauth/token", broker.clock().instant(),
                Duration.ofMinutes(1));
        BrokerClient.Response r = Assertions.login(client, ecClientId, a);
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
    }

    @Test
    void assertionsOfTheWrongKeyOrSubjectAreRefused() throws Exception {
        var now = broker.clock().instant();
        // Another agent's key, under this agent's kid: the signature does not verify.
        OctetKeyPair impostor = new OctetKeyPairGenerator(Curve.Ed25519).keyID("ed-1").generate();
        FederatedLoginTest.refused(Assertions.login(client, edClientId,
                Assertions.privateKeyJwt(impostor, edClientId, broker.issuer(), now, Duration.ofMinutes(1))), "bad signature");
        OctetKeyPair otherKid = new OctetKeyPairGenerator(Curve.Ed25519).keyID("ed-2").generate();
        FederatedLoginTest.refused(Assertions.login(client, edClientId,
                Assertions.privateKeyJwt(otherKid, edClientId, broker.issuer(), now, Duration.ofMinutes(1))), "unknown key");
        String wrongSub = Assertions.signAs(edKey, new JWTClaimsSet.Builder().issuer(edClientId).subject("someone-else")
                .audience(broker.issuer()).expirationTime(Date.from(now.plusSeconds(60)))
                .jwtID(UUID.randomUUID().toString()).build());
        FederatedLoginTest.refused(Assertions.login(client, edClientId, wrongSub), "sub must be the client id");
        // The EC agent's assertion presented for the Ed25519 agent: its iss is not that agent's client id.
        FederatedLoginTest.refused(Assertions.login(client, edClientId,
                Assertions.privateKeyJwt(ecKey, ecClientId, broker.issuer(), now, Duration.ofMinutes(1))), "wrong issuer");
        String noJti = Assertions.signAs(edKey, new JWTClaimsSet.Builder().issuer(edClientId).subject(edClientId)
                .audience(broker.issuer()).expirationTime(Date.from(now.plusSeconds(60))).build());
        FederatedLoginTest.refused(Assertions.login(client, edClientId, noJti), "jti is missing");
    }

    @Test
    void anAgentCanBeGivenAKeyLaterAndKeepsItsSecret() throws Exception {
        String admin = client.adminToken(broker.adminCredentials());
        JsonNode agent = client.createAgent(admin, "late-key", "interactive", java.util.List.of("x:read"), java.util.List.of());
        String id = agent.get("agent_id").asText();
        String clientId = agent.get("client_id").asText();
        OctetKeyPair key = new OctetKeyPairGenerator(Curve.Ed25519).keyID("late").generate();
        BrokerClient.Response patched = client.send("PATCH", "/v1/agents/" + id, admin,
                Map.of("public_key", key.toPublicJWK().toJSONObject()));
        assertThat(patched.status()).as(patched.raw()).isEqualTo(200);
        assertThat(patched.body().at("/data/public_key/kid").asText()).isEqualTo("late");
        assertThat(Assertions.login(client, clientId,
                Assertions.privateKeyJwt(key, clientId, broker.issuer(), broker.clock().instant(), Duration.ofMinutes(1)))
                .status()).isEqualTo(200);
        assertThat(client.login(clientId, agent.get("client_secret").asText()).status()).isEqualTo(200);
        BrokerClient.Response privateKey = client.send("PATCH", "/v1/agents/" + id, admin,
                Map.of("public_key", key.toJSONObject()));
        assertThat(privateKey.status()).isEqualTo(400);
        assertThat(privateKey.body().at("/error/message").asText()).contains("private key");
        BrokerClient.Response noRules = client.send("PATCH", "/v1/agents/" + id, admin,
                Map.of("federated", Map.of("issuer", "https://token.actions.githubusercontent.com")));
        assertThat(noRules.status()).isEqualTo(400);
        assertThat(noRules.body().at("/error/message").asText()).contains("at least one claim rule");
    }
}
