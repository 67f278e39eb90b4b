package dev.mayfly.server.dpop;

import static dev.mayfly.server.dpop.DpopRequests.ath;
import static dev.mayfly.server.dpop.DpopRequests.claimsOf;
import static dev.mayfly.server.dpop.DpopRequests.handmade;
import static dev.mayfly.server.dpop.DpopRequests.nimbusProof;
import static dev.mayfly.server.dpop.DpopRequests.thumbprint;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.Ed25519Signer;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.OctetKeyPair;
import dev.mayfly.server.testing.BrokerExtension;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * DPoP (RFC 9449) end to end on a real broker, socket and SQLite: proofs made by Nimbus oauth2-oidc-sdk (not
 * Mayfly's code) bind what every grant issues, and RFC 9449's failure cases are refused at the token endpoint and
 * at {@code /v1} with the catalog error and the {@code WWW-Authenticate: DPoP} challenge.
 */
class DpopBrokerTest {
    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    static DpopRequests http;
    static String clientId;
    static String secret;

    @BeforeAll
    static void setUp() {
        http = new DpopRequests(broker.issuer());
        JsonNode agent = broker.client().createAgent(broker.client().adminToken(broker.adminCredentials()), "binder",
                "llm", List.of("docs:read", "jobs:run"), List.of());
        clientId = agent.get("client_id").asText();
        secret = agent.get("client_secret").asText();
    }

    private static Instant now() {
        return broker.clock().instant();
    }

    private static String whoamiUri() {
        return broker.issuer() + "/v1/whoami";
    }

    private static String tokenProof(Object key) throws Exception {
        return nimbusProof((com.nimbusds.jose.jwk.JWK) key, "POST", http.tokenUri(), now(), null, null);
    }

    @Test
    void nimbusProofsBindEveryGrantAndTheBoundTokenWorksOnlyAsDpop() throws Exception {
        ECKey key = DpopRequests.ecKey();
        String jkt = thumbprint(key);

        DpopRequests.Reply login = http.login(clientId, secret, null, tokenProof(key));
        assertThat(login.status()).as(login.raw().body()).isEqualTo(200);
        assertThat(login.body().get("token_type").asText()).isEqualTo("DPoP");
        String access = login.body().get("access_token").asText();
        assertThat(claimsOf(access).at("/cnf/jkt").asText()).isEqualTo(jkt);

        // At /v1: Authorization: DPoP with a fresh proof for this method and URI, carrying ath.
        DpopRequests.Reply who = http.get("/v1/whoami", "DPoP", access,
                nimbusProof(key, "GET", whoamiUri(), now(), access, null));
        assertThat(who.status()).as(who.raw().body()).isEqualTo(200);

        // No downgrade: the same token as Bearer is refused, with a DPoP challenge.
        DpopRequests.Reply bearer = http.get("/v1/whoami", "Bearer", access);
        assertThat(bearer.status()).isEqualTo(401);
        assertThat(bearer.body().at("/error/code").asText()).isEqualTo("CREDENTIALS_INVALID");
        assertThat(bearer.body().at("/error/message").asText()).contains("Bound to a DPoP key");
        assertThat(bearer.header("WWW-Authenticate")).startsWith("DPoP ").contains("error=\"invalid_token\"")
                .contains("algs=\"");

        // Refresh with a proof by the same key: a DPoP token again.
        DpopRequests.Reply refreshed = http.refresh(login.body().get("refresh_token").asText(), tokenProof(key));
        assertThat(refreshed.status()).as(refreshed.raw().body()).isEqualTo(200);
        assertThat(refreshed.body().get("token_type").asText()).isEqualTo("DPoP");
        assertThat(claimsOf(refreshed.body().get("access_token").asText()).at("/cnf/jkt").asText()).isEqualTo(jkt);

        // Token exchange: the bound subject token with its proof buys a task token bound to the proof's key.
        DpopRequests.Reply task = http.exchange(refreshed.body().get("access_token").asText(), tokenProof(key));
        assertThat(task.status()).as(task.raw().body()).isEqualTo(200);
        assertThat(task.body().get("token_type").asText()).isEqualTo("DPoP");
        assertThat(claimsOf(task.body().get("access_token").asText()).at("/cnf/jkt").asText()).isEqualTo(jkt);
    }

    @Test
    void anEd25519ProofFromNimbusIsAcceptedToo() throws Exception {
        OctetKeyPair key = DpopRequests.edKey();
        DpopRequests.Reply login = http.login(clientId, secret, "docs:read", tokenProof(key));
        assertThat(login.status()).as(login.raw().body()).isEqualTo(200);
        assertThat(claimsOf(login.body().get("access_token").asText()).at("/cnf/jkt").asText()).isEqualTo(thumbprint(key));
    }

    @Test
    void aLoginWithoutProofStaysBearerAndCannotBePresentedAsDpop() throws Exception {
        DpopRequests.Reply login = http.login(clientId, secret, null);
        assertThat(login.body().get("token_type").asText()).isEqualTo("Bearer");
        String access = login.body().get("access_token").asText();
        assertThat(claimsOf(access).has("cnf")).isFalse();
        assertThat(http.get("/v1/whoami", "Bearer", access).status()).isEqualTo(200);
        ECKey key = DpopRequests.ecKey();
        DpopRequests.Reply asDpop = http.get("/v1/whoami", "DPoP", access,
                nimbusProof(key, "GET", whoamiUri(), now(), access, null));
        assertThat(asDpop.status()).isEqualTo(401);
        assertThat(asDpop.body().at("/error/message").asText()).contains("Not DPoP-bound");
    }

    @Test
    void resourceRequestFailuresOfRfc9449AreRefused() throws Exception {
        ECKey key = DpopRequests.ecKey();
        String access = http.login(clientId, secret, null, tokenProof(key)).body().get("access_token").asText();

        assertRefused(http.get("/v1/whoami", "DPoP", access,
                nimbusProof(key, "POST", whoamiUri(), now(), access, null)), "htm");
        assertRefused(http.get("/v1/whoami", "DPoP", access,
                nimbusProof(key, "GET", broker.issuer() + "/v1/agents", now(), access, null)), "htu");
        assertRefused(http.get("/v1/whoami", "DPoP", access,
                nimbusProof(key, "GET", whoamiUri(), now().minusSeconds(120), access, null)), "iat");
        assertRefused(http.get("/v1/whoami", "DPoP", access,
                nimbusProof(key, "GET", whoamiUri(), now().plusSeconds(120), access, null)), "iat");
        assertRefused(http.get("/v1/whoami", "DPoP", access,
                nimbusProof(key, "GET", whoamiUri(), now(), null, null)), "lacks ath");
        assertRefused(http.get("/v1/whoami", "DPoP", access,
                nimbusProof(key, "GET", whoamiUri(), now(), access + "x", null)), "ath does not match");
        assertRefused(http.get("/v1/whoami", "DPoP", access), "DPoP proof is required");
        assertRefused(http.get("/v1/whoami", "DPoP", access,
                nimbusProof(DpopRequests.ecKey(), "GET", whoamiUri(), now(), access, null)), "another key");

        // The request's query is not part of htu; a proof is good exactly once.
        String proof = nimbusProof(key, "GET", whoamiUri(), now(), access, null);
        assertThat(http.get("/v1/whoami?x=y", "DPoP", access, proof).status()).isEqualTo(200);
        assertRefused(http.get("/v1/whoami?x=y", "DPoP", access, proof), "already used");

        String two = nimbusProof(key, "GET", whoamiUri(), now(), access, null);
        assertRefused(http.get("/v1/whoami", "DPoP", access, two, two), "Exactly one DPoP header");
    }

    @Test
    void proofsNoCorrectLibraryWouldSignAreRefused() throws Exception {
        OctetKeyPair key = DpopRequests.edKey();
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("jti", UUID.randomUUID().toString());
        claims.put("htm", "POST");
        claims.put("htu", http.tokenUri());
        claims.put("iat", now().getEpochSecond());

        // A well-formed hand-made proof is accepted: the refusals below are for the one thing each changes.
        assertThat(http.login(clientId, secret, null, handmade(header("dpop+jwt", "EdDSA", key.toPublicJWK().toJSONObject()),
                claims, new Ed25519Signer(key))).status()).isEqualTo(200);

        claims.put("jti", UUID.randomUUID().toString());
        assertTokenRefused(http.login(clientId, secret, null, handmade(header("JWT", "EdDSA",
                key.toPublicJWK().toJSONObject()), claims, new Ed25519Signer(key))), "typ");

        claims.put("jti", UUID.randomUUID().toString());
        assertTokenRefused(http.login(clientId, secret, null, handmade(header("dpop+jwt", "EdDSA",
                key.toJSONObject()), claims, new Ed25519Signer(key))), "public key, not a private one");

        claims.put("jti", UUID.randomUUID().toString());
        byte[] hmacKey = new byte[32];
        assertTokenRefused(http.login(clientId, secret, null, handmade(header("dpop+jwt", "HS256",
                key.toPublicJWK().toJSONObject()), claims, new MACSigner(hmacKey))), "asymmetric");

        claims.put("jti", UUID.randomUUID().toString());
        ECKey other = DpopRequests.ecKey();
        assertTokenRefused(http.login(clientId, secret, null, handmade(header("dpop+jwt", "ES256",
                other.toPublicJWK().toJSONObject()), claims, new ECDSASigner(DpopRequests.ecKey()))), "signature");

        claims.put("jti", UUID.randomUUID().toString());
        assertTokenRefused(http.login(clientId, secret, null, handmade(header("dpop+jwt", "EdDSA",
                key.toPublicJWK().toJSONObject()), claims, new Ed25519Signer(DpopRequests.edKey()))), "signature");

        claims.put("jti", UUID.randomUUID().toString());
        Map<String, Object> noJwk = header("dpop+jwt", "EdDSA", null);
        assertTokenRefused(http.login(clientId, secret, null, handmade(noJwk, claims, new Ed25519Signer(key))), "jwk");

        assertTokenRefused(http.login(clientId, secret, null, "not.a.jwt"), "well-formed");
    }

    @Test
    void aBoundRefreshTokenNeedsAProofFromItsOwnKeyAndAFailedTryDoesNotBurnIt() throws Exception {
        ECKey key = DpopRequests.ecKey();
        DpopRequests.Reply login = http.login(clientId, secret, null, tokenProof(key));
        String rt = login.body().get("refresh_token").asText();

        assertTokenRefused(http.refresh(rt, tokenProof(DpopRequests.ecKey())), "Bound to another DPoP key");
        assertTokenRefused(http.refresh(rt), "needs a DPoP proof");

        // Neither try rotated the token or tripped reuse detection: the holder of the key refreshes.
        DpopRequests.Reply ok = http.refresh(rt, tokenProof(key));
        assertThat(ok.status()).as(ok.raw().body()).isEqualTo(200);
        // The successor is bound to the same key.
        assertTokenRefused(http.refresh(ok.body().get("refresh_token").asText()), "needs a DPoP proof");
    }

    @Test
    void aBoundSubjectTokenIsExchangedOnlyWithItsProof() throws Exception {
        ECKey key = DpopRequests.ecKey();
        String access = http.login(clientId, secret, null, tokenProof(key)).body().get("access_token").asText();
        assertTokenRefused(http.exchange(access), "the subject_token needs a DPoP proof");
        assertTokenRefused(http.exchange(access, tokenProof(DpopRequests.ecKey())), "Bound to another DPoP key");
        assertThat(http.exchange(access, tokenProof(key)).status()).isEqualTo(200);
    }

    @Test
    void introspectionShowsTheBindingAndALeakedBoundTokenIsRevokedAnyway() throws Exception {
        ECKey key = DpopRequests.ecKey();
        String access = http.login(clientId, secret, null, tokenProof(key)).body().get("access_token").asText();

        var intro = broker.client().postForm("/oauth/introspect", Map.of("token", access), clientId, secret);
        assertThat(intro.body().get("active").asBoolean()).isTrue();
        assertThat(intro.body().get("token_type").asText()).isEqualTo("DPoP");
        assertThat(intro.body().at("/cnf/jkt").asText()).isEqualTo(thumbprint(key));

        var report = broker.client().postJson("/v1/leaks", null, Map.of("tokens", List.of(access)));
        assertThat(report.raw()).contains("\"dpop_bound\":true").contains("\"revoked\"");
        DpopRequests.Reply after = http.get("/v1/whoami", "DPoP", access,
                nimbusProof(key, "GET", whoamiUri(), now(), access, null));
        assertThat(after.status()).isEqualTo(401);
        assertThat(after.body().at("/error/code").asText()).isEqualTo("CREDENTIALS_REVOKED");
        assertThat(after.header("WWW-Authenticate")).startsWith("DPoP ").contains("error=\"invalid_token\"");
    }

    private static Map<String, Object> header(String typ, String alg, Map<String, Object> jwk) {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("typ", typ);
        h.put("alg", alg);
        if (jwk != null) {
            h.put("jwk", jwk);
        }
        return h;
    }

    /** A /v1 refusal: 401, CREDENTIALS_INVALID naming the check, the DPoP challenge with invalid_dpop_proof. */
    private static void assertRefused(DpopRequests.Reply r, String check) {
        assertThat(r.status()).as(r.raw().body()).isEqualTo(401);
        assertThat(r.body().at("/error/code").asText()).isEqualTo("CREDENTIALS_INVALID");
        assertThat(r.body().at("/error/message").asText()).contains(check);
        assertThat(r.header("WWW-Authenticate")).startsWith("DPoP realm=\"mayfly\"").contains("algs=\"");
    }

    /** A token-endpoint refusal: 400 invalid_dpop_proof (RFC 9449 §5), CREDENTIALS_INVALID naming the check. */
    private static void assertTokenRefused(DpopRequests.Reply r, String check) {
        assertThat(r.status()).as(r.raw().body()).isEqualTo(400);
        assertThat(r.body().get("error").asText()).isEqualTo("invalid_dpop_proof");
        assertThat(r.body().get("code").asText()).isEqualTo("CREDENTIALS_INVALID");
        assertThat(r.body().get("error_description").asText()).contains(check);
    }
}
