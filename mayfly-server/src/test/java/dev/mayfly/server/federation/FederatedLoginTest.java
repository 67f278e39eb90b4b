package dev.mayfly.server.federation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.mayfly.server.testing.BrokerClient;
import dev.mayfly.server.testing.BrokerExtension;
import dev.mayfly.server.testing.OidcIssuerStandIn;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Federated login (RFC 7523 §2.2) against a real external issuer stand-in on loopback: tokens shaped like
 * Kubernetes projected service-account tokens and GitHub Actions OIDC tokens log in as the agent whose rules
 * they meet, and every failed check is refused as {@code CREDENTIALS_INVALID} naming it.
 */
class FederatedLoginTest {
    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    static OidcIssuerStandIn cluster;
    static OidcIssuerStandIn actions;
    static BrokerClient client;
    static String admin;
    static String k8sClientId;
    static String ciClientId;

    @BeforeAll
    static void setUp() {
        cluster = new OidcIssuerStandIn();
        actions = new OidcIssuerStandIn();
        client = broker.client();
        admin = client.adminToken(broker.adminCredentials());
        k8sClientId = Assertions.createAgent(client, admin, "k8s-agent", Assertions.federated(cluster.url(),
                Map.of("namespace", "agents", "serviceaccount", "summariser"))).get("client_id").asText();
        ciClientId = Assertions.createAgent(client, admin, "ci-agent", Assertions.federated(actions.url(),
                Map.of("repository", "acme/shop", "ref", "refs/heads/main"))).get("client_id").asText();
    }

    @AfterAll
    static void tearDown() {
        cluster.close();
        actions.close();
    }

    @BeforeEach
    void refillTheFailureBudget() {
        // Failed client authentications are rate-limited per address (10, then one a second): this class fails
        // on purpose many times, so each test starts with a full bucket.
        broker.clock().advance(Duration.ofSeconds(15));
    }

    static Instant now() {
        return broker.clock().instant();
    }

    static String k8sToken() {
        return cluster.kubernetesToken("agents", "summariser", broker.issuer(), now(), Duration.ofMinutes(10));
    }

    @Test
    void aKubernetesServiceAccountTokenLogsInAndTheAuditNamesIssuerAndSubject() {
        BrokerClient.Response r = Assertions.login(client, k8sClientId, k8sToken());
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        assertThat(r.body().get("refresh_token").asText()).startsWith("mfy_rt_");
        BrokerClient.Response audit = client.get("/v1/audit?limit=1000", client.adminToken(broker.adminCredentials()));
        JsonNode login = null;
        for (JsonNode rec : audit.body().at("/data/records")) {
            if (rec.get("event").asText().equals("session.started")
                    && cluster.url().equals(rec.at("/details/assertion_issuer").asText())) {
                login = rec;
            }
        }
        assertThat(login).as("a session.started record naming the issuer").isNotNull();
        assertThat(login.at("/details/assertion_subject").asText()).isEqualTo("system:serviceaccount:agents:summariser");
        assertThat(login.at("/details/client_auth").asText()).isEqualTo("federated");
    }

    @Test
    void aGitHubActionsTokenLogsInWithTheTokenEndpointAsAudience() {
        String token = actions.actionsToken("acme/shop", "refs/heads/main", broker.issuer() + "/oauth/token", now(),
                Duration.ofMinutes(5));
        BrokerClient.Response r = Assertions.login(client, ciClientId, token);
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
    }

    @Test
    void aSecretLoginOfAnAgentWithoutSecretIsRefusedClearly() {
        BrokerClient.Response r = client.login(k8sClientId, "mfy_cs_" + "0".repeat(38));
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.body().get("code").asText()).isEqualTo("CREDENTIALS_INVALID");
        assertThat(r.body().get("error_description").asText()).contains("has no client secret");
        JsonNode shown = client.get("/v1/agents/" + agentId(k8sClientId), admin()).body().get("data");
        assertThat(shown.get("client_secret_set").asBoolean()).isFalse();
        assertThat(shown.at("/federated/issuer").asText()).isEqualTo(cluster.url());
        assertThat(shown.at("/federated/claims/namespace").asText()).isEqualTo("agents");
    }

    @Test
    void aReplayedAssertionIsRefused() {
        String token = k8sToken();
        assertThat(Assertions.login(client, k8sClientId, token).status()).isEqualTo(200);
        refused(Assertions.login(client, k8sClientId, token), "replayed");
    }

    @Test
    void eachFailedCheckIsNamed() {
        Instant now = now();
        String aud = broker.issuer();
        refused(Assertions.login(client, k8sClientId,
                actions.kubernetesToken("agents", "summariser", aud, now, Duration.ofMinutes(5))), "wrong issuer");
        refused(Assertions.login(client, k8sClientId, OidcIssuerStandIn.sign(OidcIssuerStandIn.newKey(),
                cluster.claims(Map.of("sub", "x"), aud, now, Duration.ofMinutes(5)))), "unknown key");
        refused(Assertions.login(client, k8sClientId, flipSignature(k8sToken())), "bad signature");
        refused(Assertions.login(client, k8sClientId,
                cluster.kubernetesToken("agents", "summariser", "https://elsewhere.example", now, Duration.ofMinutes(5))),
                "aud is not the broker");
        refused(Assertions.login(client, k8sClientId,
                cluster.kubernetesToken("agents", "summariser", aud, now.minusSeconds(3600), Duration.ofMinutes(10))),
                "expired");
        refused(Assertions.login(client, k8sClientId,
                cluster.kubernetesToken("agents", "summariser", aud, now, Duration.ofHours(1))), "too far ahead");
        refused(Assertions.login(client, k8sClientId,
                cluster.kubernetesToken("agents", "other-sa", aud, now, Duration.ofMinutes(5))),
                "claim rule serviceaccount does not match");
        refused(Assertions.login(client, k8sClientId,
                cluster.kubernetesToken("default", "summariser", aud, now, Duration.ofMinutes(5))),
                "claim rule namespace does not match");
        refused(Assertions.login(client, ciClientId,
                actions.actionsToken("acme/shop", "refs/pull/7/merge", aud, now, Duration.ofMinutes(5))),
                "claim rule ref does not match");
        broker.clock().advance(Duration.ofSeconds(15));
        refused(Assertions.login(client, k8sClientId, unsigned(cluster.claims(Map.of("sub", "x"), aud, now(),
                Duration.ofMinutes(5)))), "alg none");
        refused(Assertions.login(client, k8sClientId, hmac(cluster.claims(Map.of("sub", "x"), aud, now(),
                Duration.ofMinutes(5)))), "HMAC");
        refused(Assertions.login(client, k8sClientId, cluster.token(Map.of("sub", "x", "kubernetes.io",
                Map.of("namespace", "agents", "serviceaccount", Map.of("name", "summariser"))), aud,
                now().plus(Duration.ofMinutes(2)), Duration.ofMinutes(5))), "not yet valid");
    }

    @Test
    void anUnknownClientIdIsRefusedLikeAnyBadAssertion() {
        refused(Assertions.login(client, "cid_nosuchclient", k8sToken()), "unknown client");
    }

    @Test
    void rotatedKeysAreRefetchedOnAnUnknownKidAtMostOncePerInterval() {
        assertThat(Assertions.login(client, k8sClientId, k8sToken()).status()).isEqualTo(200);
        int before = cluster.jwksFetches();
        // Made-up key ids within the interval cost the issuer at most one fetch.
        for (int i = 0; i < 5; i++) {
            refused(Assertions.login(client, k8sClientId, OidcIssuerStandIn.sign(OidcIssuerStandIn.newKey(),
                    cluster.claims(Map.of("sub", "x"), broker.issuer(), now(), Duration.ofMinutes(5)))), "unknown key");
        }
        assertThat(cluster.jwksFetches() - before).isLessThanOrEqualTo(1);
        broker.clock().advance(Duration.ofSeconds(15));
        cluster.rotate(false);
        int beforeRotation = cluster.jwksFetches();
        BrokerClient.Response r = Assertions.login(client, k8sClientId, k8sToken());
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        assertThat(cluster.jwksFetches()).isEqualTo(beforeRotation + 1);
        // The new key is cached: the next login fetches nothing.
        assertThat(Assertions.login(client, k8sClientId, k8sToken()).status()).isEqualTo(200);
        assertThat(cluster.jwksFetches()).isEqualTo(beforeRotation + 1);
    }

    @Test
    void anUnreachableIssuerIsUnavailableNotInvalid() {
        OidcIssuerStandIn gone = new OidcIssuerStandIn();
        String clientId = Assertions.createAgent(client, admin(), "gone-agent",
                Assertions.federated(gone.url(), Map.of("sub", "system:serviceaccount:agents:summariser")))
                .get("client_id").asText();
        String token = gone.kubernetesToken("agents", "summariser", broker.issuer(), now(), Duration.ofMinutes(5));
        gone.close();
        BrokerClient.Response r = Assertions.login(client, clientId, token);
        assertThat(r.status()).as(r.raw()).isEqualTo(503);
        assertThat(r.body().get("code").asText()).isEqualTo("UNAVAILABLE");
        assertThat(r.body().get("retryable").asBoolean()).isTrue();
        assertThat(r.raw()).doesNotContain(token);
    }

    static void refused(BrokerClient.Response r, String check) {
        assertThat(r.status()).as(r.raw()).isEqualTo(401);
        assertThat(r.body().get("error").asText()).isEqualTo("invalid_client");
        assertThat(r.body().get("code").asText()).isEqualTo("CREDENTIALS_INVALID");
        assertThat(r.body().get("error_description").asText()).contains(check);
        assertThat(r.raw()).doesNotContain("eyJ");
    }

    static String admin() {
        return client.adminToken(broker.adminCredentials());
    }

    static String agentId(String clientId) {
        for (JsonNode a : client.get("/v1/agents", admin()).body().at("/data/agents")) {
            if (a.get("client_id").asText().equals(clientId)) {
                return a.get("agent_id").asText();
            }
        }
        throw new AssertionError("no agent " + clientId);
    }

    static String flipSignature(String token) {
        int dot = token.lastIndexOf('.');
        char c = token.charAt(dot + 5);
        return token.substring(0, dot + 5) + (c == 'A' ? 'B' : 'A') + token.substring(dot + 6);
    }

    static String unsigned(JWTClaimsSet claims) {
        return Base64URL.encode("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + Base64URL.encode(claims.toString().getBytes(StandardCharsets.UTF_8)) + ".";
    }

    static String hmac(JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
            jwt.sign(new MACSigner("k".repeat(32).getBytes(StandardCharsets.UTF_8)));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
