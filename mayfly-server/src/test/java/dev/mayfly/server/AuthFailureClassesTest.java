package dev.mayfly.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.Ed25519Signer;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator;
import com.nimbusds.jwt.SignedJWT;
import dev.mayfly.server.testing.BrokerClient;
import dev.mayfly.server.testing.BrokerExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Each auth failure class at the broker's {@code /v1}, over real HTTP: status, {@code WWW-Authenticate},
 * and every envelope field of DESIGN §3.1/§3.2. Time moves through the injected clock.
 */
class AuthFailureClassesTest {
    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    static BrokerClient client;

    /** A fresh admin token: admin tokens are critical tier and live 2 minutes, and tests move time. */
    static String admin() {
        return client.adminToken(broker.adminCredentials());
    }
    static JsonNode agent;

    @BeforeAll
    static void setUp() {
        client = broker.client();
        agent = client.createAgent(admin(), "failure-agent", "interactive", List.of("orders:read"),
                List.of("https://orders.example"));
    }

    private static JsonNode login() {
        BrokerClient.Response r = client.login(agent.get("client_id").asText(), agent.get("client_secret").asText());
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        return r.body();
    }

    private static void assertEnvelopeShape(JsonNode body) {
        assertThat(body.fieldNames()).toIterable().containsExactly("ok", "data", "error", "warnings", "meta");
        assertThat(body.get("ok").asBoolean()).isFalse();
        assertThat(body.get("data").isNull()).isTrue();
        assertThat(body.get("warnings").isArray()).isTrue();
        assertThat(body.at("/meta/request_id").asText()).isNotBlank();
        assertThat(body.at("/meta/schema_version").asText()).isEqualTo("1");
        assertThat(body.at("/meta/duration_ms").isIntegralNumber()).isTrue();
        assertThat(body.at("/error/reauth_env_var").asText()).isEqualTo("MAYFLY_TOKEN");
        assertThat(body.get("error").has("reauth_command")).isTrue();
    }

    @Test
    void expiredTokenSaysExpiredWithWhenAndHowToRecover() {
        String token = login().get("access_token").asText();
        long exp = SignedJwtClaims.exp(token);
        broker.clock().advance(Duration.ofMinutes(15)); // low tier: 15 min
        assertThat(client.get("/v1/whoami", token).status()).as("inside the 30 s leeway").isEqualTo(200);
        broker.clock().advance(Duration.ofSeconds(31));

        BrokerClient.Response r = client.get("/v1/whoami", token);
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.header("WWW-Authenticate"))
                .isEqualTo("Bearer realm=\"mayfly\", error=\"invalid_token\", error_description=\"token expired\"");
        assertEnvelopeShape(r.body());
        JsonNode e = r.body().get("error");
        String expiredAt = Instant.ofEpochSecond(exp).toString();
        assertThat(e.get("code").asText()).isEqualTo("CREDENTIALS_EXPIRED");
        assertThat(e.get("message").asText()).isEqualTo("Access token expired at " + expiredAt + ".");
        assertThat(e.get("expired").asBoolean()).isTrue();
        assertThat(e.get("expired_at").asText()).isEqualTo(expiredAt);
        assertThat(e.get("retryable").asBoolean()).isTrue();
        assertThat(e.get("reauth_command").asText()).isEqualTo("mayfly auth refresh");
    }

    @Test
    void revokedSessionSaysRevokedAndToLogInAgain() {
        JsonNode s = login();
        String token = s.get("access_token").asText();
        BrokerClient.Response revoke = client.postJson("/v1/revocations", token,
                Map.of("session_id", s.get("session_id").asText(), "reason", "logout"));
        assertThat(revoke.status()).as(revoke.raw()).isEqualTo(201);

        BrokerClient.Response r = client.get("/v1/whoami", token);
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.header("WWW-Authenticate")).contains("error=\"invalid_token\"").contains("token revoked");
        assertEnvelopeShape(r.body());
        JsonNode e = r.body().get("error");
        assertThat(e.get("code").asText()).isEqualTo("CREDENTIALS_REVOKED");
        assertThat(e.get("retryable").asBoolean()).isFalse();
        assertThat(e.get("reauth_command").asText()).isEqualTo("mayfly auth login");
        assertThat(e.has("expired")).isFalse();
        // The refresh family went with the session.
        BrokerClient.Response refresh = client.refresh(s.get("refresh_token").asText());
        assertThat(refresh.body().get("code").asText()).isEqualTo("CREDENTIALS_REVOKED");
    }

    @Test
    void revokedSingleTokenSaysRefresh() {
        JsonNode s = login();
        String token = s.get("access_token").asText();
        client.postJson("/v1/revocations", token, Map.of("jti", SignedJwtClaims.jti(token)));
        BrokerClient.Response r = client.get("/v1/whoami", token);
        assertThat(r.body().at("/error/code").asText()).isEqualTo("CREDENTIALS_REVOKED");
        assertThat(r.body().at("/error/reauth_command").asText()).isEqualTo("mayfly auth refresh");
        // A refresh recovers: the session is intact.
        JsonNode next = client.refresh(s.get("refresh_token").asText()).body();
        assertThat(client.get("/v1/whoami", next.get("access_token").asText()).status()).isEqualTo(200);
    }

    @Test
    void garbledTokenIsInvalid() {
        BrokerClient.Response r = client.get("/v1/whoami", "not.a.jwt");
        assertThat(r.status()).isEqualTo(401);
        assertEnvelopeShape(r.body());
        assertThat(r.body().at("/error/code").asText()).isEqualTo("CREDENTIALS_INVALID");
        assertThat(r.body().at("/error/retryable").asBoolean()).isFalse();
    }

    @Test
    void forgedTokenThatIsAlsoExpiredIsInvalidNotExpired() throws Exception {
        String real = login().get("access_token").asText();
        SignedJWT parsed = SignedJWT.parse(real);
        OctetKeyPair attacker = new OctetKeyPairGenerator(Curve.Ed25519).keyID(parsed.getHeader().getKeyID()).generate();
        SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.EdDSA)
                .type(new JOSEObjectType("at+jwt")).keyID(parsed.getHeader().getKeyID()).build(), parsed.getJWTClaimsSet());
        forged.sign(new Ed25519Signer(attacker));
        String[] parts = real.split("\\.");
        String tampered = parts[0] + "." + parts[1] + "." + (parts[2].charAt(0) == 'A' ? 'B' : 'A') + parts[2].substring(1);

        broker.clock().advance(Duration.ofHours(1));
        for (String token : List.of(forged.serialize(), tampered)) {
            BrokerClient.Response r = client.get("/v1/whoami", token);
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.body().at("/error/code").asText()).isEqualTo("CREDENTIALS_INVALID");
            assertThat(r.body().at("/error/expired").isMissingNode()).isTrue();
        }
        // The authentic one, equally old, is expired.
        BrokerClient.Response authentic = client.get("/v1/whoami", real);
        assertThat(authentic.body().at("/error/code").asText()).as(authentic.raw()).isEqualTo("CREDENTIALS_EXPIRED");
    }

    @Test
    void aTokenDifferingOnlyInLetterCaseFromTheLastOneOnTheConnectionIsReadAsItself() {
        String real = login().get("access_token").asText();
        int at = real.lastIndexOf('.') + 1;
        while (!Character.isLetter(real.charAt(at))) {
            at++;
        }
        char c = real.charAt(at);
        String flipped = real.substring(0, at)
                + (Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c)) + real.substring(at + 1);
        // Same client, so the same keep-alive connection: Jetty's header cache must not mix the two up.
        assertThat(client.get("/v1/whoami", flipped).body().at("/error/code").asText()).isEqualTo("CREDENTIALS_INVALID");
        assertThat(client.get("/v1/whoami", real).status()).isEqualTo(200);
        assertThat(client.get("/v1/whoami", flipped).status()).isEqualTo(401);
    }

    @Test
    void missingCredentialSaysLogIn() {
        BrokerClient.Response r = client.get("/v1/whoami", null);
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"mayfly\"");
        assertEnvelopeShape(r.body());
        assertThat(r.body().at("/error/code").asText()).isEqualTo("CREDENTIALS_MISSING");
        assertThat(r.body().at("/error/reauth_command").asText()).isEqualTo("mayfly auth login");
    }

    @Test
    void insufficientScopeIsAPermanentDenial() {
        String token = login().get("access_token").asText();
        BrokerClient.Response r = client.get("/v1/agents", token);
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.header("WWW-Authenticate")).contains("error=\"insufficient_scope\"").contains("scope=\"mayfly:admin\"");
        assertEnvelopeShape(r.body());
        JsonNode e = r.body().get("error");
        assertThat(e.get("code").asText()).isEqualTo("PERMISSION_DENIED");
        assertThat(e.get("retryable").asBoolean()).isFalse();
        assertThat(e.get("reauth_command").isNull()).isTrue();
        assertThat(e.get("required_scope").asText()).isEqualTo("mayfly:admin");
        assertThat(e.get("missing_scopes").get(0).asText()).isEqualTo("mayfly:admin");
    }

    @Test
    void tokenForAnotherAudienceIsInvalidAtTheBrokerApiAndSaysWhichAudience() {
        String session = login().get("access_token").asText();
        String files = client.exchange(session, Map.of("audience", "https://orders.example")).body()
                .get("access_token").asText();
        BrokerClient.Response r = client.get("/v1/agents", files);
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.body().at("/error/code").asText()).isEqualTo("CREDENTIALS_INVALID");
        // Runnable as given: `mayfly token issue` requires --scope, so the command carries the token's own.
        assertThat(r.body().at("/error/reauth_command").asText())
                .startsWith("mayfly token issue --scope ").endsWith(" --audience " + broker.issuer());
    }

    @Test
    void disabledAgentIsRevokedForGoodWithNoReauthCommand() {
        JsonNode doomed = client.createAgent(admin(), "doomed-agent", "batch", List.of("x:read"), List.of());
        JsonNode s = client.login(doomed.get("client_id").asText(), doomed.get("client_secret").asText()).body();
        BrokerClient.Response disable = client.postJson("/v1/agents/" + doomed.get("agent_id").asText() + "/disable",
                admin(), Map.of("reason", "compromised"));
        assertThat(disable.status()).as(disable.raw()).isEqualTo(200);
        assertThat(disable.body().at("/data/disabled").asBoolean()).isTrue();

        BrokerClient.Response r = client.get("/v1/whoami", s.get("access_token").asText());
        assertThat(r.body().at("/error/code").asText()).isEqualTo("CREDENTIALS_REVOKED");
        assertThat(r.body().at("/error/reauth_command").isNull()).isTrue();
        BrokerClient.Response relogin = client.login(doomed.get("client_id").asText(), doomed.get("client_secret").asText());
        assertThat(relogin.status()).isEqualTo(401);
        assertThat(relogin.body().get("error").asText()).isEqualTo("invalid_client");
        assertThat(relogin.body().get("code").asText()).isEqualTo("CREDENTIALS_REVOKED");
    }

    @Test
    void wrongClientSecretIsInvalidClient() {
        BrokerClient.Response r = client.login(agent.get("client_id").asText(), "mfy_cs_" + "0".repeat(38));
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.body().get("error").asText()).isEqualTo("invalid_client");
        assertThat(r.body().get("code").asText()).isEqualTo("CREDENTIALS_INVALID");
        assertThat(r.raw()).doesNotContain(agent.get("client_secret").asText());
    }
}
