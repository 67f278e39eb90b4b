package dev.mayfly.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.server.testing.BrokerClient;
import dev.mayfly.server.testing.BrokerExtension;
import dev.mayfly.verifier.FeedStatus;
import dev.mayfly.verifier.JwksSource;
import dev.mayfly.verifier.RevocationFeedSubscriber;
import dev.mayfly.verifier.TokenVerifier;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The revocation stream end to end: a resource server's verifier, fed over real HTTP by
 * {@link RevocationFeedSubscriber}, rejects a revoked token, and misses nothing across disconnects and a
 * broker restart.
 */
class RevocationFeedTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension(b -> b.feedHeartbeat(Duration.ofMillis(200)));

    static BrokerClient client;
    static JsonNode agent;
    private final List<RevocationFeedSubscriber> subscribers = new ArrayList<>();

    @BeforeAll
    static void setUp() {
        client = broker.client();
        agent = client.createAgent(admin(), "feed-agent", "interactive", List.of("api:read"), List.of("https://api.example"));
    }

    @AfterEach
    void closeSubscribers() {
        subscribers.forEach(RevocationFeedSubscriber::close);
    }

    static String admin() {
        return client.adminToken(broker.adminCredentials());
    }

    private RevocationFeedSubscriber subscribe(FeedStatus.FailMode mode) throws InterruptedException {
        RevocationFeedSubscriber s = RevocationFeedSubscriber.builder()
                .broker(URI.create(broker.issuer()))
                .token(RevocationFeedTest::admin)
                .clock(broker.clock())
                .staleAfter(Duration.ofSeconds(30))
                .failMode(mode)
                .backoff(Duration.ofMillis(20), Duration.ofMillis(200))
                .build()
                .start();
        subscribers.add(s);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (s.status().state() != FeedStatus.State.LIVE && System.nanoTime() < deadline) {
            s.awaitSequence(Long.MAX_VALUE, Duration.ofMillis(50));
        }
        assertThat(s.status().state()).isEqualTo(FeedStatus.State.LIVE);
        return s;
    }

    private TokenVerifier verifier(RevocationFeedSubscriber feed) {
        return TokenVerifier.builder()
                .issuer(broker.issuer())
                .audience("https://api.example")
                .jwks(JwksSource.remote(URI.create(broker.issuer() + "/jwks.json"), broker.clock()))
                .clock(broker.clock())
                .revocations(feed)
                .build();
    }

    private String taskToken(String taskId) {
        String session = client.login(agent.get("client_id").asText(), agent.get("client_secret").asText()).body()
                .get("access_token").asText();
        return client.exchange(session, Map.of("audience", "https://api.example", "task_id", taskId)).body()
                .get("access_token").asText();
    }

    /** Revokes as the admin; a task is the test agent's (task ids are scoped to their agent). */
    private long revoke(Map<String, String> target) {
        Map<String, String> body = new java.util.LinkedHashMap<>(target);
        if (body.containsKey("task_id")) {
            body.put("agent_id", agent.get("agent_id").asText());
        }
        BrokerClient.Response r = client.postJson("/v1/revocations", admin(), body);
        assertThat(r.status()).as(r.raw()).isEqualTo(201);
        return r.body().at("/data/seq").asLong();
    }

    @Test
    void aRemoteVerifierRejectsARevokedTaskAsSoonAsTheFeedDeliversIt() throws Exception {
        RevocationFeedSubscriber feed = subscribe(FeedStatus.FailMode.CLOSED);
        TokenVerifier verifier = verifier(feed);
        String token = taskToken("feed-task-1");
        assertThat(verifier.verify(token, List.of("api:read")).allowed()).isTrue();

        long seq = revoke(Map.of("task_id", "feed-task-1"));
        assertThat(feed.awaitSequence(seq, WAIT)).isTrue();
        assertThat(verifier.verify(token, List.of("api:read")).error().code()).isEqualTo(ErrorCode.CREDENTIALS_REVOKED);
    }

    @Test
    void aRemoteVerifierRevokesOnlyTheAgentsOwnTaskOfThatId() throws Exception {
        RevocationFeedSubscriber feed = subscribe(FeedStatus.FailMode.CLOSED);
        TokenVerifier verifier = verifier(feed);
        JsonNode other = client.createAgent(admin(), "feed-neighbour", "interactive", List.of("api:read"),
                List.of("https://api.example"));
        String own = taskToken("feed-shared-task");
        String otherSession = client.login(other.get("client_id").asText(), other.get("client_secret").asText()).body()
                .get("access_token").asText();
        String neighbours = client.exchange(otherSession, Map.of("audience", "https://api.example", "task_id", "feed-shared-task"))
                .body().get("access_token").asText();

        long seq = revoke(Map.of("task_id", "feed-shared-task"));
        assertThat(feed.awaitSequence(seq, WAIT)).isTrue();
        assertThat(verifier.verify(own, List.of()).error().code()).isEqualTo(ErrorCode.CREDENTIALS_REVOKED);
        assertThat(verifier.verify(neighbours, List.of()).allowed()).as("another agent's task of the same id").isTrue();
    }

    @Test
    void nothingIsMissedAcrossACutConnectionAndABrokerRestart() throws Exception {
        RevocationFeedSubscriber feed = subscribe(FeedStatus.FailMode.CLOSED);
        TokenVerifier verifier = verifier(feed);
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            tokens.add(taskToken("restart-task-" + i));
        }
        long first = revoke(Map.of("task_id", "restart-task-0"));
        assertThat(feed.awaitSequence(first, WAIT)).isTrue();

        feed.disconnect();
        revoke(Map.of("task_id", "restart-task-1"));
        long second = revoke(Map.of("task_id", "restart-task-2"));
        assertThat(feed.awaitSequence(second, WAIT)).as("resumed after the cut").isTrue();

        broker.stop();
        broker.start();
        revoke(Map.of("task_id", "restart-task-3"));
        revoke(Map.of("task_id", "restart-task-4"));
        long last = revoke(Map.of("task_id", "restart-task-5"));
        assertThat(feed.awaitSequence(last, WAIT)).as("resumed after the restart").isTrue();

        for (String token : tokens) {
            assertThat(verifier.verify(token, List.of()).error().code()).isEqualTo(ErrorCode.CREDENTIALS_REVOKED);
        }
        assertThat(feed.status().reconnects()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void aSilentFeedFailsClosedOrOpenAsConfigured() throws Exception {
        RevocationFeedSubscriber closed = subscribe(FeedStatus.FailMode.CLOSED);
        RevocationFeedSubscriber open = subscribe(FeedStatus.FailMode.OPEN);
        String token = taskToken("stale-task");
        TokenVerifier failsClosed = verifier(closed);
        TokenVerifier failsOpen = verifier(open);
        assertThat(failsClosed.verify(token, List.of()).allowed()).isTrue();
        assertThat(failsOpen.verify(token, List.of()).allowed()).isTrue();

        broker.stop();
        try {
            broker.clock().advance(Duration.ofSeconds(31));
            assertThat(closed.status().state()).isEqualTo(FeedStatus.State.STALE);
            assertThat(closed.status().rejecting()).isTrue();
            assertThat(open.status().rejecting()).isFalse();
            var refused = failsClosed.verify(token, List.of());
            assertThat(refused.error().code()).isEqualTo(ErrorCode.UNAVAILABLE);
            assertThat(refused.error().retryable()).isTrue();
            assertThat(failsOpen.verify(token, List.of()).allowed()).isTrue();
        } finally {
            broker.start();
        }
    }

    @Test
    void theStreamSpeaksServerSentEventsAndResumesFromLastEventId() throws Exception {
        long a = revoke(Map.of("jti", "sse-jti-a"));
        long b = revoke(Map.of("jti", "sse-jti-b"));
        HttpRequest request = HttpRequest.newBuilder(URI.create(broker.issuer() + "/v1/revocations/stream"))
                .header("Authorization", "Bearer " + admin())
                .header("Last-Event-ID", Long.toString(a - 1))
                .build();
        HttpResponse<java.io.InputStream> r = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        List<String> ids = new ArrayList<>();
        boolean heartbeat = false;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null && !heartbeat) {
                if (line.startsWith("id: ")) {
                    ids.add(line.substring(4));
                }
                heartbeat = line.equals("event: heartbeat");
            }
        }
        assertThat(ids).startsWith(Long.toString(a), Long.toString(b));
        assertThat(heartbeat).isTrue();
    }

    @Test
    void theStreamNeedsTheReadScope() {
        String session = client.login(agent.get("client_id").asText(), agent.get("client_secret").asText()).body()
                .get("access_token").asText();
        BrokerClient.Response r = client.get("/v1/revocations/stream", session);
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.body().at("/error/missing_scopes/0").asText()).isEqualTo("mayfly:revocations:read");
    }
}
