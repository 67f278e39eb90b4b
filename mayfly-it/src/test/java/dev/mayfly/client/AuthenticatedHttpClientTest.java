package dev.mayfly.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mayfly.client.classify.AuthFailure;
import dev.mayfly.client.testing.Agents;
import dev.mayfly.client.testing.Agents.Agent;
import dev.mayfly.client.testing.ManualScheduler;
import dev.mayfly.client.testing.ScriptedServer;
import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.time.ManualClock;
import dev.mayfly.server.testing.BrokerExtension;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The authenticated client against the real broker's {@code /v1} and against scripted resource servers
 * answering in vendor formats: refresh and replay once on expiry, a typed exception on denial, never a loop.
 */
class AuthenticatedHttpClientTest {
    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    static final String EXPIRED_CHALLENGE = "Bearer realm=\"example\", error=\"invalid_token\", error_description=\"The access token expired\"";

    ManualClock clientClock;
    TokenSource tokens;
    ScriptedServer server;
    Agent agent;

    @BeforeEach
    void setUp() throws Exception {
        // The client's own clock, which the test can hold back while the broker's moves on: the broker then
        // rejects tokens the client still believes valid, as it would with clock skew or a suspended process.
        clientClock = new ManualClock(broker.clock().instant());
        agent = Agents.create(broker, List.of("orders:read", "orders:write"), List.of("https://orders.example"));
        tokens = TokenSource.builder().broker(URI.create(broker.issuer()))
                .clientCredentials(agent.clientId(), agent.clientSecret())
                .clock(clientClock).scheduler(new ManualScheduler(clientClock)).random(new Random(9))
                .acquireTimeout(Duration.ZERO).build();
        server = new ScriptedServer();
    }

    @AfterEach
    void tearDown() {
        tokens.close();
        server.close();
    }

    AuthenticatedHttpClient http() {
        return AuthenticatedHttpClient.builder(tokens).clock(clientClock).build();
    }

    HttpRequest whoami() {
        return HttpRequest.newBuilder(URI.create(broker.issuer() + "/v1/whoami")).GET().build();
    }

    @Test
    void attachesTheTokenAndPassesSuccessThrough() throws Exception {
        HttpResponse<String> r = http().send(whoami(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("\"token_kind\":\"session\"");
    }

    @Test
    void refreshesOnceAndReplaysWhenTheBrokerSaysExpired() throws Exception {
        AuthenticatedHttpClient http = http();
        AccessToken before = tokens.sessionToken();
        broker.clock().advance(before.lifetime().plusMinutes(1)); // the broker's time passes exp + leeway
        HttpResponse<String> r = http.send(whoami(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(tokens.sessionToken().value()).isNotEqualTo(before.value());
    }

    @Test
    void aDenialIsATypedPermanentExceptionWithTheRequiredScope() {
        HttpRequest agents = HttpRequest.newBuilder(URI.create(broker.issuer() + "/v1/agents")).GET().build();
        assertThatThrownBy(() -> http().send(agents, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOfSatisfying(PermissionDeniedException.class, e -> {
                    assertThat(e.requiredScope()).contains("mayfly:admin");
                    assertThat(e.code()).isEqualTo(ErrorCode.PERMISSION_DENIED);
                    assertThat(e.code().exitCode()).isEqualTo(8);
                });
    }

    @Test
    void aRevokedTokenIsReportedAndTheNextCallGetsANewOne() throws Exception {
        AccessToken t = tokens.sessionToken();
        String jti = Agents.whoami(broker, t.value()).body().at("/data/jti").asText();
        assertThat(broker.client().postJson("/v1/revocations", t.value().reveal(), Map.of("jti", jti)).status()).isEqualTo(201);
        AuthenticatedHttpClient http = http();
        assertThatThrownBy(() -> http.send(whoami(), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOfSatisfying(AuthFailureException.class, e -> {
                    assertThat(e.failure().kind()).isEqualTo(AuthFailure.Kind.REVOKED);
                    assertThat(e.failure().recovery()).isEqualTo(AuthFailure.Recovery.REFRESH);
                });
        assertThat(http.send(whoami(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
    }

    @Test
    void replaysABufferedBodyWithTheNewToken() throws Exception {
        server.then(401, Map.of("WWW-Authenticate", EXPIRED_CHALLENGE), "")
                .then(200, Map.of("Content-Type", "text/plain"), "created");
        HttpRequest post = HttpRequest.newBuilder(server.uri("/orders"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"item\":42}")).build();
        HttpResponse<String> r = http().send(post, HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("created");
        List<ScriptedServer.Received> got = server.received();
        assertThat(got).hasSize(2);
        assertThat(got).extracting(ScriptedServer.Received::body).containsOnly("{\"item\":42}");
        assertThat(got.get(0).authorization()).startsWith("Bearer ").isNotEqualTo(got.get(1).authorization());
    }

    @Test
    void aStreamedBodyIsNotReplayedButTheTokenIsRefreshed() {
        server.then(401, Map.of("WWW-Authenticate", EXPIRED_CHALLENGE), "");
        AccessToken before = tokens.sessionToken();
        HttpRequest post = HttpRequest.newBuilder(server.uri("/upload"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream("stream".getBytes(StandardCharsets.UTF_8))))
                .build();
        assertThatThrownBy(() -> http().send(post, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOfSatisfying(AuthFailureException.class, e -> {
                    assertThat(e.failure().kind()).isEqualTo(AuthFailure.Kind.EXPIRED);
                    assertThat(e.failure().retryable()).isTrue();
                });
        assertThat(server.received()).hasSize(1);
        assertThat(tokens.sessionToken().value()).as("refreshed for the caller's resend").isNotEqualTo(before.value());
    }

    @Test
    void neverLoopsWhenEveryTokenIsCalledExpired() {
        server.then(401, Map.of("WWW-Authenticate", EXPIRED_CHALLENGE), "");
        HttpRequest get = HttpRequest.newBuilder(server.uri("/x")).build();
        assertThatThrownBy(() -> http().send(get, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOfSatisfying(AuthFailureException.class,
                        e -> assertThat(e.failure().kind()).isEqualTo(AuthFailure.Kind.EXPIRED));
        assertThat(server.received()).as("the original and one replay").hasSize(2);
    }

    @Test
    void aFailedReplayNeverReportsTheFreshTokensExpiry() {
        server.then(401, Map.of("WWW-Authenticate", EXPIRED_CHALLENGE), "");
        HttpRequest get = HttpRequest.newBuilder(server.uri("/y")).build();
        assertThatThrownBy(() -> http().send(get, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOfSatisfying(AuthFailureException.class, e -> {
                    assertThat(e.failure().kind()).isEqualTo(AuthFailure.Kind.EXPIRED);
                    // Neither token's exp had come: the server never said when, so no instant is reported.
                    assertThat(e.failure().expiredAt()).as("expired_at of " + e.failure()).isEmpty();
                    assertThat(e.getMessage()).doesNotContain(tokens.sessionToken().expiresAt().toString());
                });
    }

    @Test
    void vendorDenialsBecomeTypedExceptions() {
        server.then(403, Map.of("x-amz-request-id", "R1", "Content-Type", "application/xml"),
                "<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>");
        HttpRequest get = HttpRequest.newBuilder(server.uri("/bucket/key")).build();
        assertThatThrownBy(() -> http().send(get, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOfSatisfying(PermissionDeniedException.class,
                        e -> assertThat(e.failure().format()).isEqualTo(AuthFailure.Format.AWS));
        assertThat(server.received()).hasSize(1);
    }

    @Test
    void vendorExpiryIsRefreshedAndReplayed() throws Exception {
        server.then(400, Map.of("x-amz-request-id", "R2"),
                        "<Error><Code>ExpiredToken</Code><Message>The provided token has expired.</Message></Error>")
                .then(200, Map.of(), "object");
        HttpResponse<String> r = http().send(HttpRequest.newBuilder(server.uri("/bucket/key")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.body()).isEqualTo("object");
        assertThat(server.received()).hasSize(2);
    }

    @Test
    void otherFailuresAreReturnedInTheCallersType() throws Exception {
        server.then(429, Map.of("Retry-After", "3"), "slow down").then(404, Map.of(), "{\"message\":\"Not Found\"}");
        AuthenticatedHttpClient http = http();
        HttpResponse<String> limited = http.send(HttpRequest.newBuilder(server.uri("/a")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.body()).isEqualTo("slow down");
        HttpResponse<byte[]> missing = http.send(HttpRequest.newBuilder(server.uri("/b")).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(new String(missing.body(), StandardCharsets.UTF_8)).contains("Not Found");
        assertThat(server.received()).hasSize(2);
    }

    @Test
    void replacesAnAuthorizationHeaderTheCallerSet() throws Exception {
        server.then(200, Map.of(), "ok");
        http().send(HttpRequest.newBuilder(server.uri("/c")).header("Authorization", "Basic Zm9vOmJhcg==").build(),
                HttpResponse.BodyHandlers.discarding());
        assertThat(server.received().get(0).authorization()).startsWith("Bearer ey");
    }
}
