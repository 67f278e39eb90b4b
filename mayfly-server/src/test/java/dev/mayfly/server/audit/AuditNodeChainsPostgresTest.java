package dev.mayfly.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.server.crypto.MasterKey;
import dev.mayfly.server.store.Dialect;
import dev.mayfly.server.testing.BrokerClient;
import dev.mayfly.server.testing.BrokerExtension;
import dev.mayfly.server.testing.Postgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Three brokers on one real PostgreSQL, each with its own audit chain: they append concurrently with no
 * advisory lock held by anyone, and every chain verifies; a node stalled inside a transaction holding all its
 * issuance path locks (its head row, and the lock every node once shared) stops only itself; an edited record
 * with its chain recomputed fails; a deleted tail is caught by a signed checkpoint.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuditNodeChainsPostgresTest {
    static final Postgres PG = Postgres.shared();
    static final String DB = PG.createDatabase();
    static final String MASTER_KEY = MasterKey.generate("test").toBase64();
    static final Path CHECKPOINTS = tempDir();

    @RegisterExtension
    static final BrokerExtension a = node();
    @RegisterExtension
    static final BrokerExtension b = node();
    @RegisterExtension
    static final BrokerExtension c = node();

    static String adminToken;
    static JsonNode agent;

    static BrokerExtension node() {
        return new BrokerExtension(x -> x.database(DB, Postgres.USER, null).env(Map.of(MasterKey.ENV, MASTER_KEY))
                .auditChain(new AuditChainConfig(null, CHECKPOINTS, Duration.ofHours(1), 1_000_000)));
    }

    static Path tempDir() {
        try {
            return Files.createTempDirectory("mayfly-audit-checkpoints");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @BeforeAll
    static void anAgent() {
        adminToken = a.client().adminToken(a.adminCredentials());
        agent = a.client().createAgent(adminToken, "fleet", "interactive", List.of("api:read"), List.of("https://api.example"));
    }

    @AfterAll
    static void dropCheckpoints() throws IOException {
        for (BrokerExtension x : List.of(a, b, c)) {
            x.stop(); // first: each writes a last checkpoint as it stops
        }
        try (var files = Files.list(CHECKPOINTS)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        Files.delete(CHECKPOINTS);
    }

    static String nodeId(BrokerExtension x) {
        try {
            return Files.readString(x.home().resolve(AuditNodeId.FILE)).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static BrokerClient.Response login(BrokerExtension x) {
        return x.client().login(agent.get("client_id").asText(), agent.get("client_secret").asText());
    }

    static JsonNode verify() {
        BrokerClient.Response r = a.client().get("/v1/audit/verify", adminToken);
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        return r.body().get("data");
    }

    static JsonNode chain(JsonNode v, String node) {
        for (JsonNode n : v.get("nodes")) {
            if (n.get("node").asText().equals(node)) {
                return n;
            }
        }
        throw new AssertionError("no chain for " + node + " in " + v);
    }

    static Connection connect() throws SQLException {
        return DriverManager.getConnection(DB, Postgres.USER, null);
    }

    /** Advisory locks held or awaited in this database right now. */
    static long advisoryLocks(Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"
                + " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    @Order(1)
    void threeNodesAppendConcurrentlyWithoutAnAdvisoryLockAndEveryChainVerifies() throws Exception {
        try (Connection watcher = connect(); Statement w = watcher.createStatement()) {
            // the watcher sees an advisory lock when one is held
            try (Connection holder = connect(); Statement h = holder.createStatement()) {
                holder.setAutoCommit(false);
                h.executeQuery("SELECT pg_advisory_xact_lock(" + Dialect.Lock.AUDIT_CHAIN.key() + ")").close();
                assertThat(advisoryLocks(w)).isEqualTo(1);
                holder.rollback();
            }
            AtomicBoolean loading = new AtomicBoolean(true);
            AtomicLong seen = new AtomicLong();
            AtomicLong polls = new AtomicLong();
            ExecutorService pool = Executors.newFixedThreadPool(7);
            Future<?> watching = pool.submit(() -> {
                while (loading.get()) {
                    seen.accumulateAndGet(advisoryLocks(w), Math::max);
                    polls.incrementAndGet();
                }
                return null;
            });
            List<Future<?>> load = new ArrayList<>();
            for (BrokerExtension x : List.of(a, b, c)) {
                for (int t = 0; t < 2; t++) {
                    load.add(pool.submit(() -> {
                        for (int i = 0; i < 25; i++) {
                            BrokerClient.Response r = login(x);
                            assertThat(r.status()).as(r.raw()).isEqualTo(200);
                        }
                    }));
                }
            }
            for (Future<?> f : load) {
                f.get();
            }
            loading.set(false);
            watching.get();
            pool.shutdown();
            assertThat(polls.get()).as("pg_locks polls during the load").isPositive();
            assertThat(seen.get()).as("advisory locks seen in pg_locks while three nodes issued").isZero();
        }

        JsonNode v = verify();
        assertThat(v.get("valid").asBoolean()).as(v.toString()).isTrue();
        long total;
        try (Connection conn = connect(); Statement s = conn.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM audit_events")) {
            rs.next();
            total = rs.getLong(1);
        }
        assertThat(v.get("checked").asLong()).isEqualTo(total);
        for (BrokerExtension x : List.of(a, b, c)) {
            JsonNode n = chain(v, nodeId(x));
            assertThat(n.get("keyed").asBoolean()).isTrue();
            assertThat(n.get("valid").asBoolean()).isTrue();
            assertThat(n.get("records").asLong()).isGreaterThanOrEqualTo(50);
        }
    }

    @Test
    @Order(2)
    void aNodeStalledInsideATransactionStopsOnlyItself() throws Exception {
        try (Connection stalled = connect(); Statement s = stalled.createStatement()) {
            // what node a's issuance locks, held by a session that went quiet mid-transaction (a GC pause, SIGSTOP),
            // along with the lock every node shared before per-node chains
            stalled.setAutoCommit(false);
            s.execute("SET idle_in_transaction_session_timeout = 20000");
            s.executeQuery("SELECT pg_advisory_xact_lock(" + Dialect.Lock.AUDIT_CHAIN.key() + ")").close();
            s.executeQuery("SELECT seq FROM audit_nodes WHERE node_id = '" + nodeId(a) + "' FOR UPDATE").close();

            long slowest = 0;
            for (int i = 0; i < 10; i++) {
                for (BrokerExtension x : List.of(b, c)) {
                    long start = System.nanoTime();
                    BrokerClient.Response r = login(x);
                    long ms = (System.nanoTime() - start) / 1_000_000;
                    assertThat(r.status()).as(r.raw()).isEqualTo(200);
                    slowest = Math.max(slowest, ms);
                }
            }
            System.out.printf("node a stalled holding its audit head: 20 tokens at nodes b and c, slowest %d ms%n", slowest);
            assertThat(slowest).as("slowest token at another node while node a is stalled").isLessThan(1000);
            // and it is node a's own path that is held: a cannot issue (503 after its lock bound)
            BrokerClient.Response refused = login(a);
            assertThat(refused.status()).as(refused.raw()).isEqualTo(503);
            assertThat(refused.body().get("code").asText()).isEqualTo("UNAVAILABLE");
            stalled.rollback();
        }
        assertThat(login(a).status()).isEqualTo(200);
        assertThat(verify().get("valid").asBoolean()).isTrue();
    }

    @Test
    @Order(3)
    void anEditedRecordWithItsChainRecomputedFailsVerification() throws Exception {
        String node = nodeId(b);
        try (Connection conn = connect()) {
            ChainTampering.exec(conn, "CREATE TEMP TABLE saved AS SELECT * FROM audit_events WHERE node_id = '" + node + "'");
            ChainTampering.exec(conn, "CREATE TEMP TABLE saved_head AS SELECT * FROM audit_nodes WHERE node_id = '" + node + "'");
            ChainTampering.editAndRecompute(conn, node, 5, "{\"reason\":\"forged\"}");
            JsonNode v = verify();
            assertThat(v.get("valid").asBoolean()).isFalse();
            JsonNode n = chain(v, node);
            assertThat(n.get("problem").asText()).contains("record 5 was modified");
            assertThat(n.get("first_bad_node_seq").asLong()).isEqualTo(5);
            assertThat(chain(v, nodeId(a)).get("valid").asBoolean()).isTrue();

            ChainTampering.exec(conn, "DELETE FROM audit_events WHERE node_id = '" + node + "'");
            ChainTampering.exec(conn, "INSERT INTO audit_events SELECT * FROM saved");
            ChainTampering.exec(conn, "DELETE FROM audit_nodes WHERE node_id = '" + node + "'");
            ChainTampering.exec(conn, "INSERT INTO audit_nodes SELECT * FROM saved_head");
        }
        assertThat(verify().get("valid").asBoolean()).isTrue();
    }

    @Test
    @Order(4)
    void aDeletedTailIsCaughtByASignedCheckpointOfAnotherNode() throws Exception {
        String node = nodeId(c);
        // node a's checkpoint names node c's head too
        AuditCheckpoint cp = a.broker().auditCheckpoints().write();
        long head = cp.heads().get(node).seq();
        try (Connection conn = connect()) {
            ChainTampering.truncate(conn, node, 3);
            ChainTampering.exec(conn, "DELETE FROM audit_checkpoints");
        }
        JsonNode v = verify();
        assertThat(v.get("valid").asBoolean()).isFalse();
        JsonNode n = chain(v, node);
        assertThat(n.get("records").asLong()).isEqualTo(head - 3);
        assertThat(n.get("problem").asText()).contains("truncated").contains("names record " + head)
                .contains(AuditCheckpoints.FILE_PREFIX + nodeId(a));
    }
}
