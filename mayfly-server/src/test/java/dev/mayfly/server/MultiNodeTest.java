package dev.mayfly.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.json.Json;
import dev.mayfly.server.testing.BrokerClient;
import dev.mayfly.server.testing.BrokerProcess;
import dev.mayfly.server.testing.Postgres;
import dev.mayfly.verifier.Decision;
import dev.mayfly.verifier.FeedStatus;
import dev.mayfly.verifier.JwksSource;
import dev.mayfly.verifier.RevocationFeedSubscriber;
import dev.mayfly.verifier.TokenVerifier;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Three broker processes on one PostgreSQL: tokens issued at one node are refreshed at another and
 * revoked at a third; a verifier following one node's feed rejects within the propagation bound; a killed
 * node's subscribers resume from another without missing a revocation; a database outage turns readiness
 * off and on again while verifiers keep verifying offline, and no acknowledged revocation is lost; while the
 * database is down every node answers token requests with a fast 503 and its readiness with 503 within a second.
 */
class MultiNodeTest {
    private static final String ISSUER = "https://mayfly.test";
    private static final String API = "https://api.example";
    private static final Duration BOUND = Duration.ofSeconds(3);

    static Postgres pg;
    static BrokerProcess a;
    static BrokerProcess b;
    static BrokerProcess c;
    static JsonNode admin;
    static JsonNode agent;
    static final List<Long> acknowledged = new ArrayList<>();

    @BeforeAll
    static void cluster() {
        pg = Postgres.dedicated();
        String db = pg.createDatabase();
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        String masterKey = Base64.getEncoder().encodeToString(key);
        Map<String, String> fast = Map.of("--feed-heartbeat-ms", "200");
        a = BrokerProcess.start(db, ISSUER, masterKey, fast); // creates the admin and the first key
        b = BrokerProcess.start(db, ISSUER, masterKey, fast);
        c = BrokerProcess.start(db, ISSUER, masterKey, fast);
        try {
            admin = Json.mapper().readTree(a.home().resolve("admin.json").toFile());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        agent = client(a).createAgent(adminToken(a), "fleet-agent", "interactive", List.of("api:read"), List.of(API));
    }

    @AfterAll
    static void stopCluster() {
        for (BrokerProcess p : new BrokerProcess[] {a, b, c}) {
            if (p != null) {
                p.close();
            }
        }
        if (pg != null) {
            pg.stop();
        }
    }

    static BrokerClient client(BrokerProcess node) {
        return new BrokerClient(node.url());
    }

    static String adminToken(BrokerProcess node) {
        return client(node).adminToken(admin);
    }

    static long revoke(BrokerProcess node, Map<String, String> target) {
        BrokerClient.Response r = client(node).postJson("/v1/revocations", adminToken(node), target);
        assertThat(r.status()).as(r.raw()).isEqualTo(201);
        long seq = r.body().at("/data/seq").asLong();
        acknowledged.add(seq);
        return seq;
    }

    static String taskToken(BrokerProcess issueAt, BrokerProcess refreshAt, BrokerProcess exchangeAt, String task) {
        JsonNode s = client(issueAt).login(agent.get("client_id").asText(), agent.get("client_secret").asText()).body();
        BrokerClient.Response refreshed = client(refreshAt).refresh(s.get("refresh_token").asText());
        assertThat(refreshed.status()).as(refreshed.raw()).isEqualTo(200);
        BrokerClient.Response task1 = client(exchangeAt).exchange(refreshed.body().get("access_token").asText(),
                Map.of("audience", API, "task_id", task));
        assertThat(task1.status()).as(task1.raw()).isEqualTo(200);
        return task1.body().get("access_token").asText();
    }

    /** Waits in real time (a cluster of real processes) for a condition, at most {@code max}. */
    static long await(BooleanSupplier condition, Duration max) {
        long start = System.nanoTime();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - start > max.toNanos()) {
                throw new AssertionError("condition not met within " + max);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    @Test
    void theClusterBehavesAsOneBrokerThroughNodeDeathAndADatabaseOutage() throws Exception {
        RevocationFeedSubscriber feed = RevocationFeedSubscriber.builder()
                .broker(URI.create(a.url())).broker(URI.create(b.url())).broker(URI.create(c.url()))
                .token(() -> {
                    for (BrokerProcess node : new BrokerProcess[] {a, b, c}) {
                        try {
                            return adminToken(node);
                        } catch (RuntimeException e) {
                            // that node is down: try the next
                        }
                    }
                    throw new IllegalStateException("no node can log in");
                })
                .backoff(Duration.ofMillis(20), Duration.ofMillis(300))
                .build()
                .start();
        try {
            TokenVerifier verifier = TokenVerifier.builder().issuer(ISSUER).audience(API)
                    .jwks(JwksSource.remote(URI.create(b.url() + "/jwks.json"))).revocations(feed).build();
            await(() -> feed.status().state() == FeedStatus.State.LIVE, Duration.ofSeconds(10));

            // issue at A, refresh at B, exchange at C; revoke at C; the verifier follows A
            String first = taskToken(a, b, c, "fleet-task-1");
            assertThat(verifier.verify(first, List.of("api:read")).allowed()).isTrue();
            revoke(c, Map.of("task_id", "fleet-task-1", "agent_id", agent.get("agent_id").asText()));
            long propagationMs = await(() -> rejected(verifier, first), BOUND);
            System.out.printf("multi-node: revocation at C rejected by a verifier following A after %d ms%n", propagationMs);

            // two nodes receive the same refresh token at the same instant: it rotates once, and within the reuse
            // grace both answers carry that one successor (the family does not fork)
            JsonNode s = client(a).login(agent.get("client_id").asText(), agent.get("client_secret").asText()).body();
            assertThat(raceRefresh(s.get("refresh_token").asText(), b, c)).hasSize(1);

            // kill A: the verifier resumes from another node and misses nothing revoked meanwhile
            String second = taskToken(b, c, b, "fleet-task-2");
            a.kill();
            revoke(b, Map.of("task_id", "fleet-task-2", "agent_id", agent.get("agent_id").asText()));
            await(() -> rejected(verifier, second), Duration.ofSeconds(10));
            assertThat(feed.status().connectedTo()).isNotEqualTo(a.url() + "/v1/revocations/stream");

            // stop PostgreSQL: readiness goes false, verification goes on offline; then back
            String third = taskToken(b, c, c, "fleet-task-3");
            assertThat(verifier.verify(third, List.of()).allowed()).isTrue();
            pg.stop();
            // every live node answers at once: token requests get 503 UNAVAILABLE well under a second, and
            // /readyz says so within one (bounds generous for a busy machine; measured ~250 ms each)
            List<Long> refusals = new ArrayList<>();
            for (BrokerProcess node : new BrokerProcess[] {b, c, b, c, b}) {
                long t0 = System.nanoTime();
                BrokerClient.Response r = client(node).login(agent.get("client_id").asText(),
                        agent.get("client_secret").asText());
                refusals.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
                assertThat(r.status()).as(r.raw()).isEqualTo(503);
                assertThat(r.body().get("code").asText()).isEqualTo("UNAVAILABLE");
                assertThat(r.body().get("retry_after_ms").asLong()).isPositive();
            }
            for (BrokerProcess node : new BrokerProcess[] {b, c}) {
                long t0 = System.nanoTime();
                BrokerClient.Response notReady = client(node).get("/readyz", null);
                long readyMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                System.out.printf("multi-node: database stopped: /readyz %d after %d ms%n", notReady.status(), readyMs);
                assertThat(notReady.status()).as(notReady.raw()).isEqualTo(503);
                assertThat(notReady.body().at("/checks/database").asBoolean(true)).isFalse();
                assertThat(readyMs).isLessThan(1000);
            }
            System.out.printf("multi-node: database stopped: token requests answered 503 after %s ms%n", refusals);
            List<Long> sorted = new ArrayList<>(refusals);
            java.util.Collections.sort(sorted);
            assertThat(sorted.get(2)).as("median time to a 503").isLessThan(500);
            assertThat(sorted.get(4)).as("slowest 503").isLessThan(1500);
            assertThat(verifier.verify(third, List.of()).allowed()).as("offline verification").isTrue();
            assertThat(rejected(verifier, first)).isTrue();
            pg.start();
            await(() -> client(b).get("/readyz", null).status() == 200, Duration.ofSeconds(30));
            await(() -> client(c).get("/readyz", null).status() == 200, Duration.ofSeconds(30));
            revoke(c, Map.of("task_id", "fleet-task-3", "agent_id", agent.get("agent_id").asText()));
            await(() -> rejected(verifier, third), Duration.ofSeconds(10));

            // every acknowledged revocation is still there, in order, on every live node
            for (BrokerProcess node : new BrokerProcess[] {b, c}) {
                JsonNode log = client(node).get("/v1/revocations?since=0&limit=1000", adminToken(node)).body()
                        .at("/data/revocations");
                List<Long> seqs = new ArrayList<>();
                log.forEach(r -> seqs.add(r.get("seq").asLong()));
                assertThat(seqs).containsAll(acknowledged).isSorted();
            }
        } finally {
            feed.close();
        }
    }

    private static boolean rejected(TokenVerifier verifier, String token) {
        Decision d = verifier.verify(token, List.of());
        return !d.allowed() && d.error().code() == ErrorCode.CREDENTIALS_REVOKED;
    }

    /** The distinct successors the nodes answered with; every answer must be a success. */
    private static java.util.Set<String> raceRefresh(String refreshToken, BrokerProcess... nodes) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(nodes.length);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<BrokerClient.Response>> results = new ArrayList<>();
        for (BrokerProcess node : nodes) {
            results.add(pool.submit(() -> {
                go.await();
                return client(node).refresh(refreshToken);
            }));
        }
        go.countDown();
        java.util.Set<String> successors = new java.util.HashSet<>();
        for (Future<BrokerClient.Response> f : results) {
            BrokerClient.Response r = f.get();
            assertThat(r.status()).as(r.raw()).isEqualTo(200);
            successors.add(r.body().get("refresh_token").asText());
        }
        pool.shutdown();
        return successors;
    }
}
