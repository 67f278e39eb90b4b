package dev.mayfly.server.crash;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.core.json.Json;
import dev.mayfly.server.testing.BrokerClient;
import dev.mayfly.server.testing.BrokerProcess;
import dev.mayfly.server.testing.Postgres;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker is SIGKILLed at a random moment under a load of logins, refreshes, token exchanges and
 * revocations from several client threads, restarted on the same home, and must have kept every promise
 * it made before it died: each acknowledged revocation is in the log with its sequence number, each
 * refresh token a client holds either rotates exactly once (a retry within the reuse grace gets the same
 * successor) or belongs to a consistently revoked session,
 * no refresh family is half-written and no session, rotation, revocation or issued token lacks its audit
 * record, and the audit chain verifies.
 *
 * <p>A few kills in the default run; many with {@code ./mvnw -Psoak -pl mayfly-server -am verify
 * -Dtest=CrashConsistencyTest} (or {@code -Dmayfly.crash.iterations=N}). {@code -Dmayfly.crash.seed=S}
 * replays a run's choice of operations and kill moments (the seed is printed).
 */
@EnabledOnOs(OS.LINUX) // exit status 137 = SIGKILL is how the test knows the kill was not graceful
class CrashConsistencyTest {
    private static final String ISSUER = "https://mayfly.crash.test";
    private static final String API = "https://api.crash.test";
    private static final int WORKERS = 4;
    private static final int SIGKILL_EXIT = 128 + 9;
    private static final int ITERATIONS = Integer.getInteger("mayfly.crash.iterations", 3);

    @Test
    void sqliteKeepsEveryAcknowledgedWriteThroughSigkill(@TempDir Path home) throws Exception {
        run(home, null, StoreInvariants.sqlite(home.resolve("mayfly.db")), ITERATIONS);
    }

    @Test
    void postgresqlKeepsEveryAcknowledgedWriteThroughSigkill(@TempDir Path home) throws Exception {
        String db = Postgres.shared().createDatabase();
        run(home, db, StoreInvariants.postgres(db, Postgres.USER), Math.max(1, ITERATIONS / 3));
    }

    private static void run(Path home, String db, StoreInvariants store, int iterations) throws Exception {
        long seed = Long.getLong("mayfly.crash.seed", new SecureRandom().nextLong());
        System.out.printf("crash consistency (%s): %d kills, -Dmayfly.crash.seed=%d%n",
                db == null ? "SQLite" : "PostgreSQL", iterations, seed);
        Random random = new Random(seed);
        byte[] raw = new byte[32];
        random.nextBytes(raw);
        String masterKey = Base64.getEncoder().encodeToString(raw);

        BrokerProcess node = BrokerProcess.start(home, db, ISSUER, masterKey, Map.of());
        try {
            JsonNode admin = Json.mapper().readTree(home.resolve("admin.json").toFile());
            BrokerClient setup = new BrokerClient(node.url());
            JsonNode agent = setup.createAgent(setup.adminToken(admin), "crash-agent", "interactive",
                    List.of("api:read"), List.of(API));
            for (int i = 1; i <= iterations; i++) {
                Ledger ledger = new Ledger();
                int exit = loadThenKill(node, admin, agent, ledger, random);
                assertThat(exit).as("the broker died of SIGKILL, not a graceful stop").isEqualTo(SIGKILL_EXIT);
                assertThat(ledger.answered.get()).as("the broker answered requests before the kill").isPositive();
                node = BrokerProcess.start(home, db, ISSUER, masterKey, Map.of());
                verify(new BrokerClient(node.url()), admin, ledger, store);
                System.out.printf("kill %d: %d answered, %d in flight at the kill, %d revocations acknowledged, "
                                + "%d refresh families checked%n", i, ledger.answered.get(), ledger.inFlightAtKill.get(),
                        ledger.acknowledged.size(), ledger.refreshTokens.size());
            }
        } finally {
            node.kill();
        }
    }

    /** Runs the load against {@code node}, SIGKILLs it at a random moment, and returns its exit status. */
    private static int loadThenKill(BrokerProcess node, JsonNode admin, JsonNode agent, Ledger ledger, Random random)
            throws Exception {
        String adminToken = new BrokerClient(node.url()).adminToken(admin);
        ExecutorService pool = Executors.newFixedThreadPool(WORKERS);
        List<Future<Void>> workers = new ArrayList<>();
        for (int w = 0; w < WORKERS; w++) {
            workers.add(pool.submit(new LoadWorker(new BrokerClient(node.url()), agent, adminToken, API, ledger,
                    random.nextLong())));
        }
        // The kill moment: not a wait for anything to expire, just a random point in the load.
        Thread.sleep(300 + random.nextInt(1200));
        int exit = node.kill();
        pool.shutdown();
        assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).as("client threads stop once the broker is gone").isTrue();
        for (Future<Void> f : workers) {
            f.get(); // an assertion error or bug in a worker surfaces here
        }
        return exit;
    }

    private static void verify(BrokerClient client, JsonNode admin, Ledger ledger, StoreInvariants store) throws Exception {
        String adminToken = client.adminToken(admin);

        // 1. every acknowledged revocation survived, with its number and target
        Map<Long, JsonNode> log = revocationLog(client, adminToken);
        for (Ledger.Ack ack : ledger.acknowledged) {
            JsonNode r = log.get(ack.seq());
            assertThat(r).as("acknowledged revocation seq %d (%s %s) after the restart", ack.seq(), ack.kind(), ack.target())
                    .isNotNull();
            assertThat(r.get("kind").asText()).isEqualTo(ack.kind());
            assertThat(r.get("target").asText()).isEqualTo(ack.target());
        }

        // 2. every refresh token a client holds works once, or its session is revoked; then it is revoked for good
        for (Map.Entry<String, String> held : ledger.refreshTokens.entrySet()) {
            String sid = held.getKey();
            BrokerClient.Response first = client.refresh(held.getValue());
            if (first.status() == 200) {
                // Presented again at once: within the reuse grace, the same successor (the family does not fork)
                String successor = first.body().get("refresh_token").asText();
                BrokerClient.Response again = client.refresh(held.getValue());
                assertThat(again.status()).as("a retry within the grace: %s", again.raw()).isEqualTo(200);
                assertThat(again.body().get("refresh_token").asText()).isEqualTo(successor);
                // the successor rotates once; the held token, now two generations old, is reuse
                BrokerClient.Response rotated = client.refresh(successor);
                assertThat(rotated.status()).as("the successor rotates: %s", rotated.raw()).isEqualTo(200);
                BrokerClient.Response reuse = client.refresh(held.getValue());
                assertThat(reuse.status()).as("a refresh token rotates once: %s", reuse.raw()).isEqualTo(400); // invalid_grant
                assertThat(reuse.body().get("code").asText()).isEqualTo("CREDENTIALS_REVOKED");
                BrokerClient.Response next = client.refresh(rotated.body().get("refresh_token").asText());
                assertThat(next.body().get("code").asText()).as("reuse revoked the whole family: %s", next.raw())
                        .isEqualTo("CREDENTIALS_REVOKED");
            } else {
                assertThat(first.status()).as("session %s: held refresh token: %s", sid, first.raw()).isEqualTo(400);
                assertThat(first.body().get("code").asText()).as(first.raw()).isEqualTo("CREDENTIALS_REVOKED");
            }
        }
        Map<Long, JsonNode> after = revocationLog(client, adminToken);
        List<String> revokedSessions = after.values().stream().filter(r -> r.get("kind").asText().equals("session"))
                .map(r -> r.get("target").asText()).toList();
        assertThat(revokedSessions).as("every checked session ends revoked, in the log")
                .containsAll(ledger.refreshTokens.keySet());

        // 3. the tables: no half-written family, nothing without its audit record
        assertThat(store.violations()).as("store invariants after the crash").isEmpty();
        assertThat(store.auditedJtis()).as("every access token a client received has its audit record")
                .containsAll(ledger.jtis);

        // 4. the audit chain verifies
        BrokerClient.Response verified = client.get("/v1/audit/verify", adminToken);
        assertThat(verified.status()).as(verified.raw()).isEqualTo(200);
        assertThat(verified.body().at("/data/valid").asBoolean()).as(verified.raw()).isTrue();
    }

    private static Map<Long, JsonNode> revocationLog(BrokerClient client, String adminToken) {
        Map<Long, JsonNode> bySeq = new HashMap<>();
        long since = 0;
        while (true) {
            BrokerClient.Response page = client.get("/v1/revocations?since=" + since + "&limit=1000", adminToken);
            assertThat(page.status()).as(page.raw()).isEqualTo(200);
            page.body().at("/data/revocations").forEach(r -> bySeq.put(r.get("seq").asLong(), r));
            if (!page.body().at("/data/more").asBoolean()) {
                return bySeq;
            }
            since = page.body().at("/data/next_since").asLong();
        }
    }
}
