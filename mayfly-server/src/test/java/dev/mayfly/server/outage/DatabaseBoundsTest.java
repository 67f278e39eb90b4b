package dev.mayfly.server.outage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.server.store.DatabaseTimeouts;
import dev.mayfly.server.store.Dialect;
import dev.mayfly.server.testing.BrokerClient;
import dev.mayfly.server.testing.BrokerExtension;
import dev.mayfly.server.testing.Postgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A broker on a real PostgreSQL that a stalled session or a stopped database gets in the way of: every wait is
 * bounded. A session that holds this node's audit chain head and sits idle in its transaction (a connection of
 * this very node stuck in a GC pause; no other node ever takes that row) costs this node 503s for a bounded
 * time, after which PostgreSQL ends that session and issuing goes on; the lock every node once shared for the
 * audit chain, held by a stalled session, costs nothing;
 * a stopped database answers 503 {@code UNAVAILABLE} with {@code retry_after_ms} in well under a second, and
 * {@code /readyz} says so within a second without calling the schema behind.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DatabaseBoundsTest {
    static final Postgres PG = Postgres.dedicated();
    static final String DB = PG.createDatabase();
    /** The defaults, stated: lock wait 500 ms, and a session idle in a transaction is ended after 2 s. */
    static final DatabaseTimeouts TIMEOUTS = DatabaseTimeouts.defaults();

    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension(b -> b.database(DB, Postgres.USER, null)
            .databaseTimeouts(TIMEOUTS));

    static JsonNode agent;

    @BeforeAll
    static void anAgent() {
        BrokerClient client = broker.client();
        agent = client.createAgent(client.adminToken(broker.adminCredentials()), "bounded", "interactive",
                List.of("api:read"), List.of("https://api.example"));
    }

    @AfterAll
    static void stopDatabase() {
        PG.stop();
    }

    /** The audit chain this broker appends to (generated at its first start, kept in its home). */
    static String nodeId() throws java.io.IOException {
        return java.nio.file.Files.readString(broker.home().resolve("audit-node-id")).trim();
    }

    static BrokerClient.Response login() {
        return broker.client().login(agent.get("client_id").asText(), agent.get("client_secret").asText());
    }

    @Test
    @Order(1)
    void everyPooledConnectionCarriesTheServerSideBounds() throws SQLException {
        try (Connection c = broker.broker().db().dataSource().getConnection(); Statement s = c.createStatement()) {
            assertThat(show(s, "lock_timeout")).isEqualTo("500ms");
            assertThat(show(s, "statement_timeout")).isEqualTo("2s");
            assertThat(show(s, "idle_in_transaction_session_timeout")).isEqualTo("2s");
        }
    }

    @Test
    @Order(2)
    void aStalledHolderOfThisNodesAuditHeadCostsBoundedTimeThenPostgresEndsItsSession() throws Exception {
        assertThat(login().status()).isEqualTo(200);
        try (Connection stalled = DriverManager.getConnection(DB, Postgres.USER, null)) {
            // A session takes this node's audit chain head (what each of its issuances locks) in a transaction, then
            // stops (a GC pause). Its session is ended after 3 s idle: longer than this node's own bound, so the whole
            // burst below falls in the stall.
            stalled.setAutoCommit(false);
            try (Statement s = stalled.createStatement()) {
                s.execute("SET idle_in_transaction_session_timeout = 3000");
                s.executeQuery("SELECT seq FROM audit_nodes WHERE node_id = '" + nodeId() + "' FOR UPDATE").close();
            }
            long start = System.nanoTime();

            // A burst of token requests meanwhile: each answered 503 UNAVAILABLE with retry_after_ms, within about
            // one lock wait per commit batch (a batch gives up as a whole; it does not wait once per request in it)
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<Timed<BrokerClient.Response>>> burst = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                burst.add(pool.submit(() -> timed(DatabaseBoundsTest::login)));
            }
            long slowest = 0;
            for (Future<Timed<BrokerClient.Response>> f : burst) {
                Timed<BrokerClient.Response> refused = f.get();
                assertThat(refused.value().status()).as(refused.value().raw()).isEqualTo(503);
                assertThat(refused.value().body().get("code").asText()).isEqualTo("UNAVAILABLE");
                assertThat(refused.value().body().get("retry_after_ms").asLong()).isPositive();
                slowest = Math.max(slowest, refused.millis());
            }
            pool.shutdown();
            assertThat(slowest).as("slowest 503 while a stalled session holds this node's audit head").isLessThan(2000);

            // /readyz tells the truth within a second: this node cannot issue now, and its audit head is why
            Timed<BrokerClient.Response> ready = timed(() -> broker.client().get("/readyz", null));
            assertThat(ready.millis()).isLessThan(1000);
            if (System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(2900)) {
                // still inside the stall (on a very busy machine the session may already have been ended)
                assertThat(ready.value().status()).as(ready.value().raw()).isEqualTo(503);
                assertThat(ready.value().body().at("/checks/audit_lock").asBoolean()).isFalse();
                assertThat(ready.value().body().at("/checks/database").asBoolean()).isTrue();
            }

            // PostgreSQL ends the stalled session after idle_in_transaction_session_timeout; issuing resumes
            long resumedMs = await(() -> login().status() == 200, Duration.ofSeconds(10));
            System.out.printf("stalled audit-lock holder: 8 token requests answered 503 within %d ms, /readyz %d after %d ms,"
                    + " issuing again %d ms into the stall%n", slowest, ready.value().status(), ready.millis(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
            assertThat(resumedMs).isLessThan(8000);
            assertThat(stalled.isValid(1)).as("PostgreSQL ended the stalled session").isFalse();
        }
        assertThat(broker.client().get("/readyz", null).status()).isEqualTo(200);
    }

    @Test
    @Order(3)
    void aStalledHolderOfTheOldSharedAuditLockCostsNothing() throws Exception {
        try (Connection stalled = DriverManager.getConnection(DB, Postgres.USER, null)) {
            // What every issuance took before per-node chains, and another node's head: neither is on this node's path.
            stalled.setAutoCommit(false);
            try (Statement s = stalled.createStatement()) {
                s.executeQuery("SELECT pg_advisory_xact_lock(" + Dialect.Lock.AUDIT_CHAIN.key() + ")").close();
                s.executeUpdate("INSERT INTO audit_nodes (node_id, seq, hash, started_at) VALUES ('other-node', 0, '"
                        + "0".repeat(64) + "', 0)");
                s.executeQuery("SELECT seq FROM audit_nodes WHERE node_id = 'other-node' FOR UPDATE").close();
            }
            for (int i = 0; i < 5; i++) {
                Timed<BrokerClient.Response> r = timed(DatabaseBoundsTest::login);
                assertThat(r.value().status()).as(r.value().raw()).isEqualTo(200);
                assertThat(r.millis()).as("a token while a stalled session holds the old shared lock").isLessThan(1000);
            }
            Timed<BrokerClient.Response> ready = timed(() -> broker.client().get("/readyz", null));
            assertThat(ready.value().status()).as(ready.value().raw()).isEqualTo(200);
            stalled.rollback();
        }
    }

    @Test
    @Order(4)
    void aReadOnlyServerIsNotReadyAndTheNodeLeavesItOnceWritesAreBack() throws SQLException {
        assertThat(login().status()).isEqualTo(200);
        String database = DB.substring(DB.lastIndexOf('/') + 1);
        try (Connection admin = DriverManager.getConnection(DB, Postgres.USER, null); Statement s = admin.createStatement()) {
            // what a node sees when its server is demoted to a standby: every new session is read-only
            s.execute("ALTER DATABASE " + database + " SET default_transaction_read_only = on");
            s.executeQuery("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database()"
                    + " AND pid <> pg_backend_pid()").close();
            await(() -> {
                BrokerClient.Response r = broker.client().get("/readyz", null);
                return r.status() == 503 && r.body().at("/checks/database").asBoolean()
                        && !r.body().at("/checks/writable").asBoolean(true);
            }, Duration.ofSeconds(10));
            BrokerClient.Response refused = login();
            assertThat(refused.status()).as(refused.raw()).isEqualTo(503);
            assertThat(refused.body().get("code").asText()).isEqualTo("UNAVAILABLE");

            // writes are back (the new primary): read-only connections are evicted at their first refused write
            // rather than kept until they age out, so issuing resumes at once
            s.execute("ALTER DATABASE " + database + " SET default_transaction_read_only = off");
        }
        int attempts = 1;
        while (login().status() != 200) {
            attempts++;
            // each pooled read-only connection (16 at most) costs one refused write, then it is gone
            assertThat(attempts).as("token requests until issuing resumed").isLessThanOrEqualTo(17);
        }
        await(() -> broker.client().get("/readyz", null).status() == 200, Duration.ofSeconds(10));
    }

    @Test
    @Order(5)
    void aStoppedDatabaseGets503sInWellUnderASecondAndReadinessSaysSoWithinOne() {
        assertThat(login().status()).isEqualTo(200);
        PG.stop();
        try {
            List<Long> millis = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                Timed<BrokerClient.Response> r = timed(DatabaseBoundsTest::login);
                assertThat(r.value().status()).as(r.value().raw()).isEqualTo(503);
                assertThat(r.value().body().get("code").asText()).isEqualTo("UNAVAILABLE");
                assertThat(r.value().body().get("retry_after_ms").asLong()).isPositive();
                assertThat(r.value().raw()).doesNotContain("Exception").doesNotContain("at org.");
                millis.add(r.millis());
            }
            Collections.sort(millis);
            System.out.printf("database stopped: 503 after %s ms%n", millis);
            assertThat(millis.get(2)).as("median time to a 503 (connection wait: 250 ms)").isLessThan(500);
            assertThat(millis.get(4)).as("slowest 503").isLessThan(1500);

            Timed<BrokerClient.Response> ready = timed(() -> broker.client().get("/readyz", null));
            System.out.printf("database stopped: /readyz %d after %d ms: %s%n", ready.value().status(), ready.millis(),
                    ready.value().raw());
            assertThat(ready.value().status()).isEqualTo(503);
            assertThat(ready.millis()).isLessThan(1000);
            JsonNode checks = ready.value().body().get("checks");
            assertThat(checks.get("database").asBoolean()).isFalse();
            assertThat(checks.get("signing_key").asBoolean()).isTrue();
            // not known while the database is down: not reported as false
            assertThat(checks.path("migrations").isBoolean()).as(checks.toString()).isFalse();
        } finally {
            PG.start();
        }
        await(() -> broker.client().get("/readyz", null).status() == 200, Duration.ofSeconds(30));
        await(() -> login().status() == 200, Duration.ofSeconds(10));
    }

    private static String show(Statement s, String setting) throws SQLException {
        try (ResultSet rs = s.executeQuery("SHOW " + setting)) {
            rs.next();
            return rs.getString(1);
        }
    }

    record Timed<T>(T value, long millis) {
    }

    static <T> Timed<T> timed(Supplier<T> call) {
        long start = System.nanoTime();
        T value = call.get();
        return new Timed<>(value, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    }

    /** Waits in real time (PostgreSQL's own timers run on the wall clock) for a condition, at most {@code max}. */
    static long await(java.util.function.BooleanSupplier condition, Duration max) {
        long start = System.nanoTime();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - start > max.toNanos()) {
                throw new AssertionError("condition not met within " + max);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }
}
