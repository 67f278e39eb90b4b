package dev.mayfly.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.mayfly.server.testing.BrokerClient;
import dev.mayfly.server.testing.BrokerExtension;
import dev.mayfly.verifier.attack.AttackTokens;
import dev.mayfly.verifier.attack.ConnectionRecorder;
import dev.mayfly.core.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The JWT attack catalogue ({@link AttackTokens}) against every endpoint of a real broker that reads a
 * token, over HTTP: the {@code /v1} API answers {@code 401 CREDENTIALS_INVALID} (never expired, never a
 * permission denial, never a 500), introspection answers {@code {"active": false}} and nothing more, and
 * token exchange refuses the subject token as {@code invalid_grant} / {@code CREDENTIALS_INVALID}. The
 * attacks are built on a genuine admin token and signed with the broker's own key wherever possible, so
 * the one flaw under test is what the broker must notice. Then the clock moves past the genuine token's
 * expiry and every attack is tried again: still invalid, not expired.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BrokerJwtAttackTest {
    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();
    static final ConnectionRecorder RECORDER = new ConnectionRecorder();

    static final HttpClient STREAM_CLIENT = HttpClient.newHttpClient();
    static BrokerClient client;
    static JsonNode admin;
    static String genuine;
    static String rebuilt;
    static List<AttackTokens.Attack> attacks;

    /** A token-reading endpoint and what a refusal looks like there. */
    enum Kind { V1, V1_ANY_AUDIENCE, INTROSPECTION, TOKEN_EXCHANGE }

    record Endpoint(String name, Kind kind, Function<String, BrokerClient.Response> call) {
        @Override
        public String toString() {
            return name;
        }
    }

    static final List<Endpoint> ENDPOINTS = List.of(
            v1Any("GET /v1/whoami", t -> client.get("/v1/whoami", t)),
            v1("GET /v1/agents", t -> client.get("/v1/agents", t)),
            v1("POST /v1/agents", t -> client.postJson("/v1/agents", t,
                    Map.of("name", "attacker", "kind", "interactive", "scopes", List.of("mayfly:admin"), "audiences", List.of()))),
            v1("GET /v1/agents/{id}", t -> client.get("/v1/agents/" + admin.get("client_id").asText(), t)),
            v1("POST /v1/agents/{id}/disable", t -> client.postJson("/v1/agents/agt_none/disable", t, Map.of())),
            v1Any("POST /v1/revocations", t -> client.postJson("/v1/revocations", t, Map.of("agent_id", "agt_none"))),
            v1Any("GET /v1/revocations", t -> client.get("/v1/revocations", t)),
            v1Any("GET /v1/revocations/stream", BrokerJwtAttackTest::openStream),
            v1("GET /v1/audit", t -> client.get("/v1/audit", t)),
            v1("GET /v1/audit/verify", t -> client.get("/v1/audit/verify", t)),
            v1("GET /v1/keys", t -> client.get("/v1/keys", t)),
            v1("POST /v1/keys/rotate", t -> client.postJson("/v1/keys/rotate", t, Map.of())),
            v1("GET /v1/webhooks", t -> client.get("/v1/webhooks", t)),
            v1("POST /v1/webhooks", t -> client.postJson("/v1/webhooks", t, Map.of("url", RECORDER.url() + "/hook"))),
            new Endpoint("POST /oauth/introspect", Kind.INTROSPECTION, t -> client.postForm("/oauth/introspect",
                    Map.of("token", t), admin.get("client_id").asText(), admin.get("client_secret").asText())),
            new Endpoint("POST /oauth/token (token exchange)", Kind.TOKEN_EXCHANGE, t -> client.exchange(t, Map.of())));

    static Endpoint v1(String name, Function<String, BrokerClient.Response> call) {
        return new Endpoint(name, Kind.V1, call);
    }

    static Endpoint v1Any(String name, Function<String, BrokerClient.Response> call) {
        return new Endpoint(name, Kind.V1_ANY_AUDIENCE, call);
    }

    /**
     * Opens the revocation stream and returns at once: a refusal has a finite body, an accepted token an
     * endless stream, which is closed (and reported as the 200 it is) instead of read.
     */
    static BrokerClient.Response openStream(String token) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(client.base() + "/v1/revocations/stream"))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(10)).GET().build();
        try {
            HttpResponse<InputStream> r = STREAM_CLIENT.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = r.body()) {
                if (r.statusCode() == 200) {
                    return new BrokerClient.Response(200, r.headers().map(), null, "(a stream)");
                }
                String raw = new String(body.readAllBytes(), StandardCharsets.UTF_8);
                return new BrokerClient.Response(r.statusCode(), r.headers().map(),
                        raw.isEmpty() ? null : Json.mapper().readTree(raw), raw);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @BeforeAll
    static void buildAttacks() throws Exception {
        client = broker.client();
        admin = broker.adminCredentials();
        genuine = client.adminToken(admin);
        SignedJWT parsed = SignedJWT.parse(genuine);
        JWK key = BrokerSigningKeys.privateKey(broker, parsed.getHeader().getKeyID());
        JWTClaimsSet claims = parsed.getJWTClaimsSet();
        AttackTokens.Target target = new AttackTokens.Target(key, claims, broker.clock().instant(), RECORDER.url());
        rebuilt = AttackTokens.genuine(target);
        attacks = AttackTokens.against(target);
    }

    @AfterAll
    static void closeRecorder() {
        RECORDER.close();
    }

    static Stream<AttackTokens.Attack> attacks() {
        return attacks.stream();
    }

    @Test
    @Order(1)
    void theGenuineTokenAsTheCatalogueRebuildsItIsAccepted() {
        // The attacks are variations of this token: it must be good, or they prove nothing.
        for (String token : List.of(genuine, rebuilt)) {
            assertThat(client.get("/v1/whoami", token).status()).isEqualTo(200);
            assertThat(client.get("/v1/agents", token).status()).isEqualTo(200);
            assertThat(client.get("/v1/audit", token).status()).isEqualTo(200);
            BrokerClient.Response introspected = client.postForm("/oauth/introspect", Map.of("token", token),
                    admin.get("client_id").asText(), admin.get("client_secret").asText());
            assertThat(introspected.body().get("active").asBoolean()).as(introspected.raw()).isTrue();
        }
    }

    @Test
    @Order(1)
    void anAuthenticSessionTokenOfAnAgentThisBrokerDoesNotKnowIsInvalidForTokenExchange() throws Exception {
        // Signed with the broker's own key (as after a database restored from an older backup): not a 500.
        SignedJWT parsed = SignedJWT.parse(genuine);
        JWK key = BrokerSigningKeys.privateKey(broker, parsed.getHeader().getKeyID());
        SignedJWT stranger = new SignedJWT(parsed.getHeader(),
                new JWTClaimsSet.Builder(parsed.getJWTClaimsSet()).subject("agt_nobodyKnowsThisAgent00").build());
        stranger.sign(AttackTokens.signer(key));
        BrokerClient.Response r = client.exchange(stranger.serialize(), Map.of());
        assertThat(r.status()).as(r.raw()).isEqualTo(400);
        assertThat(r.body().get("error").asText()).isEqualTo("invalid_grant");
        assertThat(r.body().get("code").asText()).isEqualTo("CREDENTIALS_INVALID");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attacks")
    @Order(2)
    void isRefusedAsInvalidByEveryEndpoint(AttackTokens.Attack attack) {
        refusedEverywhere(attack);
    }

    @Test
    @Order(3)
    void theGenuineTokenHasNowExpired() {
        broker.clock().advance(Duration.ofHours(2));
        BrokerClient.Response r = client.get("/v1/whoami", genuine);
        assertThat(r.body().at("/error/code").asText()).as(r.raw()).isEqualTo("CREDENTIALS_EXPIRED");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attacks")
    @Order(4)
    void isStillInvalidNotExpiredOnceTheGenuineTokenHasExpired(AttackTokens.Attack attack) {
        refusedEverywhere(attack);
    }

    @Test
    @Order(5)
    void noAttackMadeTheBrokerConnectAnywhere() {
        assertThat(RECORDER.connections()).as("connections to the URLs in jku/x5u headers").isZero();
    }

    private static void refusedEverywhere(AttackTokens.Attack attack) {
        SoftAssertions soft = new SoftAssertions();
        for (Endpoint e : ENDPOINTS) {
            if (attack.aboutTheAudience() && (e.kind() == Kind.V1_ANY_AUDIENCE || e.kind() == Kind.INTROSPECTION)) {
                continue; // these accept a token for any audience, by design (DESIGN §3.5, RFC 7662)
            }
            if (e.kind() != Kind.INTROSPECTION && e.kind() != Kind.TOKEN_EXCHANGE
                    && !attack.token().equals(attack.token().strip())) {
                // In a header, whitespace around the token is syntax, not token: RFC 7235 §2.1 allows
                // several spaces after "Bearer", RFC 9110 §5.5 trims a field value. The genuine token it
                // wraps is rightly accepted there; the bodies below still see the whitespace.
                continue;
            }
            BrokerClient.Response r;
            try {
                r = e.call().apply(attack.token());
            } catch (UncheckedIOException closed) {
                // Only a token too large for an HTTP header may make the server drop the connection.
                soft.assertThat(attack.token().length()).as("%s at %s: connection dropped (%s)", attack, e,
                        closed.getMessage()).isGreaterThan(HEADER_LIMIT);
                continue;
            } catch (IllegalArgumentException unsendable) {
                // The HTTP client will not put a line break or a non-ASCII character in a header; such
                // tokens reach the broker only in request bodies (introspection, token exchange).
                soft.assertThat(attack.token()).as("%s at %s: %s", attack, e, unsendable.getMessage())
                        .matches("(?s).*[^\\x21-\\x7e].*");
                continue;
            }
            String where = attack + " at " + e + " answered " + r.status() + " " + abbreviate(r.raw());
            if (attack.token().length() > HEADER_LIMIT && e.kind() != Kind.INTROSPECTION && e.kind() != Kind.TOKEN_EXCHANGE
                    || attack.token().length() > BODY_LIMIT) {
                // Larger than the HTTP layer takes (8 KiB of headers, 64 KiB of body): refused before any
                // handler reads it, as a client error.
                soft.assertThat(r.status()).as(where).isIn(400, 413, 431);
                continue;
            }
            switch (e.kind()) {
                case V1, V1_ANY_AUDIENCE -> {
                    soft.assertThat(r.status()).as(where).isEqualTo(401);
                    soft.assertThat(r.body() == null ? null : r.body().at("/error/code").asText()).as(where)
                            .isEqualTo("CREDENTIALS_INVALID");
                    soft.assertThat(r.body() != null && r.body().at("/error/expired").isMissingNode()).as(where).isTrue();
                    soft.assertThat(r.header("WWW-Authenticate")).as(where).contains("error=\"invalid_token\"")
                            .doesNotContain("expired");
                }
                case INTROSPECTION -> {
                    soft.assertThat(r.status()).as(where).isEqualTo(200);
                    soft.assertThat(r.raw()).as(where).isEqualTo("{\"active\":false}");
                }
                case TOKEN_EXCHANGE -> {
                    soft.assertThat(r.status()).as(where).isEqualTo(400);
                    soft.assertThat(r.body() == null ? null : r.body().path("error").asText()).as(where).isEqualTo("invalid_grant");
                    soft.assertThat(r.body() == null ? null : r.body().path("code").asText()).as(where)
                            .isEqualTo("CREDENTIALS_INVALID");
                    soft.assertThat(r.body() != null && r.body().path("expired_at").isMissingNode()).as(where).isTrue();
                }
            }
        }
        soft.assertAll();
    }

    /** Jetty's default request-header limit; a larger Authorization header never reaches the broker's code. */
    static final int HEADER_LIMIT = 8 * 1024 - 512;
    static final int BODY_LIMIT = 64 * 1024 - 512;

    private static String abbreviate(String s) {
        return s == null ? "" : s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }
}
