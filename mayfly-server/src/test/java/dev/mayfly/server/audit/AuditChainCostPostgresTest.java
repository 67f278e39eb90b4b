package dev.mayfly.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.server.crypto.MasterKey;
import dev.mayfly.server.store.DatabaseTimeouts;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the audit trail costs PostgreSQL per issued token, counted by PostgreSQL itself (pg_stat_statements,
 * preloaded) while three brokers issue tokens concurrently: no advisory lock is ever taken, and an append is
 * one statement once a node knows its own head ({@code OneStatementAppend}: move the head and insert, only if the
 * head is the one the node last wrote), three only when it does not (claim the node's next sequence number,
 * insert, move the head): at most 1.5 per token allows for those and for checkpoints. Also prints
 * statements, lock waits (sampled from pg_stat_activity) and wall time per token, for BENCHMARKS.md.
 */
class AuditChainCostPostgresTest {
    static final int TOKENS = Integer.getInteger("mayfly.audit.cost.tokens", 600);
    static final int WORKERS = 8;
    static final Postgres PG = Postgres.dedicated(Map.of("shared_preload_libraries", "pg_stat_statements"));
    static final String DB = PG.createDatabase();
    static final String MASTER_KEY = MasterKey.generate("test").toBase64();

    @RegisterExtension
    static final BrokerExtension a = node();
    @RegisterExtension
    static final BrokerExtension b = node();
    @RegisterExtension
    static final BrokerExtension c = node();

    static JsonNode agent;

    static BrokerExtension node() {
        // Lock bound as deployed; statement and idle bounds wider, so a start-up on a machine loaded to the hilt
        // (this test runs three brokers, PostgreSQL and the load on it) is not cut short.
        return new BrokerExtension(x -> x.database(DB, Postgres.USER, null).env(Map.of(MasterKey.ENV, MASTER_KEY))
                .databaseTimeouts(DatabaseTimeouts.defaults().withServerSide(Duration.ofMillis(500), Duration.ofSeconds(10),
                        Duration.ofSeconds(10))));
    }

    @BeforeAll
    static void anAgent() throws SQLException {
        String admin = a.client().adminToken(a.adminCredentials());
        agent = a.client().createAgent(admin, "costed", "interactive", List.of("api:read"), List.of("https://api.example"));
        try (Connection conn = connect(); Statement s = conn.createStatement()) {
            s.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
        }
    }

    @AfterAll
    static void stopPostgres() {
        for (BrokerExtension x : List.of(a, b, c)) {
            x.stop();
        }
        PG.stop();
    }

    static Connection connect() throws SQLException {
        return DriverManager.getConnection(DB, Postgres.USER, null);
    }

    @Test
    void anIssuedTokenCostsNoAdvisoryLockAndAboutOneAuditStatement() throws Exception {
        Run one = run(List.of(a), TOKENS / 2);
        Run three = run(List.of(a, b, c), TOKENS);
        System.out.printf("AUDIT-COST 1 node : %s%nAUDIT-COST 3 nodes: %s%n", one, three);
        for (Run r : List.of(one, three)) {
            assertThat(r.advisoryLockCalls).as("advisory lock statements").isZero();
            assertThat(r.auditStatements).as("audit statements for %d tokens", r.tokens).isLessThanOrEqualTo(r.tokens * 3L / 2);
        }
    }

    /** {@code tokens} logins spread over {@code nodes} by {@value #WORKERS} workers, measured from PostgreSQL's side. */
    static Run run(List<BrokerExtension> nodes, int tokens) throws Exception {
        for (BrokerExtension x : nodes) { // warm: connections, prepared statements, JIT
            for (int i = 0; i < 20; i++) {
                login(x);
            }
        }
        try (Connection conn = connect(); Statement s = conn.createStatement()) {
            s.executeQuery("SELECT pg_stat_statements_reset()").close();
            AtomicBoolean running = new AtomicBoolean(true);
            ExecutorService pool = Executors.newFixedThreadPool(WORKERS + 1);
            long[] samples = new long[2]; // count, sum of backends waiting on a lock
            Future<?> sampler = pool.submit(() -> {
                try (Connection sc = connect(); Statement ss = sc.createStatement()) {
                    while (running.get()) {
                        try (ResultSet rs = ss.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                                + " AND datname = current_database()")) {
                            rs.next();
                            samples[0]++;
                            samples[1] += rs.getLong(1);
                        }
                        Thread.sleep(2);
                    }
                }
                return null;
            });
            long start = System.nanoTime();
            List<Future<?>> work = new ArrayList<>();
            for (int w = 0; w < WORKERS; w++) {
                BrokerExtension x = nodes.get(w % nodes.size());
                int share = tokens / WORKERS;
                work.add(pool.submit(() -> {
                    for (int i = 0; i < share; i++) {
                        BrokerClient.Response r = login(x);
                        assertThat(r.status()).as(r.raw()).isEqualTo(200);
                    }
                }));
            }
            for (Future<?> f : work) {
                f.get();
            }
            long wallNanos = System.nanoTime() - start;
            running.set(false);
            sampler.get();
            pool.shutdown();
            Run r = new Run(nodes.size(), tokens / WORKERS * WORKERS, wallNanos, samples[0] == 0 ? 0 : (double) samples[1] / samples[0]);
            try (ResultSet rs = s.executeQuery("SELECT query, calls FROM pg_stat_statements"
                    + " WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())")) {
                while (rs.next()) {
                    String q = rs.getString(1);
                    long calls = rs.getLong(2);
                    if (q.contains("pg_stat_statements") || q.contains("pg_stat_activity")) {
                        continue; // this measurement's own
                    }
                    r.statements += calls;
                    if (q.contains("pg_advisory")) {
                        r.advisoryLockCalls += calls;
                    }
                    if (q.contains("audit_") || q.contains("pg_advisory")) {
                        r.auditStatements += calls;
                    }
                }
            }
            return r;
        }
    }

    static BrokerClient.Response login(BrokerExtension x) {
        return x.client().login(agent.get("client_id").asText(), agent.get("client_secret").asText());
    }

    /** One measured run. */
    static final class Run {
        final int nodes;
        final int tokens;
        final long wallNanos;
        final double waitingOnLocks;
        long statements;
        long auditStatements;
        long advisoryLockCalls;

        Run(int nodes, int tokens, long wallNanos, double waitingOnLocks) {
            this.nodes = nodes;
            this.tokens = tokens;
            this.wallNanos = wallNanos;
            this.waitingOnLocks = waitingOnLocks;
        }

        @Override
        public String toString() {
            double seconds = wallNanos / 1e9;
            return String.format("%d tokens in %.2f s (%.0f/s); statements/token %.2f (audit %.2f, advisory locks %d);"
                            + " backends waiting on a lock: %.2f on average, lock wait/token %.2f ms",
                    tokens, seconds, tokens / seconds, (double) statements / tokens, (double) auditStatements / tokens,
                    advisoryLockCalls, waitingOnLocks, waitingOnLocks * seconds * 1000 / tokens);
        }
    }
}
