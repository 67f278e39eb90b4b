package dev.mayfly.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyException;
import dev.mayfly.core.policy.AgentKind;
import dev.mayfly.core.revocation.RevocationEvent;
import dev.mayfly.core.time.ManualClock;
import dev.mayfly.server.audit.AuditEvent;
import dev.mayfly.server.audit.AuditLog;
import dev.mayfly.server.audit.AuditVerification;
import dev.mayfly.core.revocation.Revocation;
import dev.mayfly.server.audit.RequestContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The repository tests, run against every database Mayfly supports: the same SQL must behave the same,
 * including under concurrent writers.
 */
abstract class StoreContract {
    protected final ManualClock clock = new ManualClock(Instant.parse("2026-11-22T14:00:00Z"));
    protected Database db;
    private final AgentStore agents = new AgentStore();
    private final SessionStore sessions = new SessionStore();
    private final RevocationStore revocations = new RevocationStore();

    protected abstract Database open();

    @BeforeEach
    void openDatabase() {
        db = open();
    }

    @AfterEach
    void closeDatabase() {
        db.close();
    }

    private Agent agent(String id, String name) {
        return new Agent(id, "cid_" + id, name, AgentKind.BATCH, List.of("a:read", "b:write"), List.of("https://x"),
                "f".repeat(64), clock.instant(), null);
    }

    @Test
    void agentsRoundTripAndNamesAreUnique() {
        db.inTransaction(c -> {
            agents.insert(c, agent("agt_1", "one"));
            return null;
        });
        Agent read = db.read(c -> agents.byClientId(c, "cid_agt_1")).orElseThrow();
        assertThat(read.kind()).isEqualTo(AgentKind.BATCH);
        assertThat(read.scopes()).containsExactly("a:read", "b:write");
        assertThat(read.createdAt()).isEqualTo(clock.instant());
        assertThatThrownBy(() -> db.inTransaction(c -> {
            agents.insert(c, agent("agt_2", "one"));
            return null;
        })).isInstanceOf(MayflyException.class).satisfies(e -> assertThat(((MayflyException) e).code()).isEqualTo(ErrorCode.CONFLICT));
        boolean first = db.inTransaction(c -> agents.disable(c, "agt_1", clock.instant()));
        boolean second = db.inTransaction(c -> agents.disable(c, "agt_1", clock.instant()));
        assertThat(first).isTrue();
        assertThat(second).isFalse();
    }

    @Test
    void agentTrustAndAMissingSecretRoundTrip() {
        AgentTrust trust = new AgentTrust("https://issuer.example", java.util.Map.of("sub", "repo:acme/shop:ref:main"),
                "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo\"}");
        Agent keyless = new Agent("agt_t", "cid_agt_t", "trusting", AgentKind.INTERACTIVE, List.of("a:read"), List.of(),
                null, clock.instant(), null, trust);
        db.inTransaction(c -> {
            agents.insert(c, keyless);
            return null;
        });
        Agent read = db.read(c -> agents.byId(c, "agt_t")).orElseThrow();
        assertThat(read.hasSecret()).isFalse();
        assertThat(read.trust()).isEqualTo(trust);
        java.util.Optional<Agent> byNoSecret = db.read(c -> agents.bySecretHash(c, ""));
        assertThat(byNoSecret).as("no secret is no hash anything matches").isEmpty();
        boolean updated = db.inTransaction(c -> agents.updateTrust(c, "agt_t", AgentTrust.NONE));
        assertThat(updated).isTrue();
        assertThat(db.read(c -> agents.byId(c, "agt_t")).orElseThrow().trust()).isEqualTo(AgentTrust.NONE);
    }

    @Test
    void anAssertionIdIsRememberedUntilItExpires() {
        AssertionJtiStore jtis = new AssertionJtiStore();
        Instant now = clock.instant();
        Instant exp = now.plusSeconds(60);
        boolean first = db.inTransaction(c -> jtis.remember(c, "https://i", "j1", exp, now));
        boolean replay = db.inTransaction(c -> jtis.remember(c, "https://i", "j1", exp, now));
        boolean otherIssuer = db.inTransaction(c -> jtis.remember(c, "https://other", "j1", exp, now));
        assertThat(first).isTrue();
        assertThat(replay).as("a replay").isFalse();
        assertThat(otherIssuer).as("per issuer").isTrue();
        Instant later = exp.plusSeconds(1);
        boolean takenOver = db.inTransaction(c -> jtis.remember(c, "https://i", "j1", later.plusSeconds(60), later));
        boolean replayAgain = db.inTransaction(c -> jtis.remember(c, "https://i", "j1", later.plusSeconds(60), later));
        int forgotten = db.inTransaction(c -> jtis.forgetExpired(c, later.plusSeconds(61)));
        assertThat(takenOver).as("an expired row is taken over").isTrue();
        assertThat(replayAgain).isFalse();
        assertThat(forgotten).isEqualTo(2);
    }

    @Test
    void ofManyConcurrentRotationsOfOneRefreshTokenExactlyOneWins() throws Exception {
        db.inTransaction(c -> {
            agents.insert(c, agent("agt_r", "rotator"));
            sessions.insert(c, new Session("ses_r", "agt_r", List.of("a:read"), clock.instant(),
                    clock.instant().plusSeconds(1800), null, null));
            sessions.insertRefreshToken(c, new RefreshToken("h".repeat(64), "ses_r", 0, clock.instant(), null));
            return null;
        });
        int racers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Boolean>> wins = new ArrayList<>();
        for (int i = 0; i < racers; i++) {
            wins.add(pool.submit(() -> {
                go.await();
                return db.inTransaction(c -> sessions.markUsed(c, "h".repeat(64), clock.instant()));
            }));
        }
        go.countDown();
        int won = 0;
        for (Future<Boolean> f : wins) {
            won += f.get() ? 1 : 0;
        }
        pool.shutdown();
        assertThat(won).isEqualTo(1);
    }

    @Test
    void revocationSequenceNumbersAreMonotonicAndReadBackInOrder() throws Exception {
        int writers = 4;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<Future<?>> done = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int id = w;
            done.add(pool.submit(() -> {
                for (int i = 0; i < 25; i++) {
                    String target = "jti-" + id + "-" + i;
                    db.inTransaction(c -> {
                        db.dialect().lock(c, Dialect.Lock.REVOCATION_LOG);
                        return revocations.append(c, Revocation.Granularity.TOKEN, target, null, null, clock.instant(),
                                clock.instant().plusSeconds(60));
                    });
                }
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
        List<RevocationEvent> all = db.read(c -> revocations.since(c, 0, 1000));
        assertThat(all).hasSize(100);
        for (int i = 1; i < all.size(); i++) {
            assertThat(all.get(i).seq()).isGreaterThan(all.get(i - 1).seq());
        }
        long latest = db.read(revocations::latestSeq);
        assertThat(latest).isEqualTo(all.get(99).seq());
        List<RevocationEvent> secondHalf = db.read(c -> revocations.since(c, all.get(49).seq(), 1000));
        assertThat(secondHalf).hasSize(50);
        boolean exists = db.read(c -> revocations.exists(c, Revocation.Granularity.TOKEN, "jti-0-0"));
        assertThat(exists).isTrue();
        clock.advance(java.time.Duration.ofSeconds(61));
        List<RevocationEvent> active = db.read(c -> revocations.active(c, clock.instant()));
        assertThat(active).isEmpty();
    }

    @Test
    void aRevokedTaskIsRevokedForItsAgentOnlyAndAnUnscopedOldRowForEveryAgent() throws Exception {
        db.inTransaction(c -> revocations.append(c, Revocation.Granularity.TASK, "build-7", "agt_m", "done",
                clock.instant(), clock.instant().plusSeconds(60)));
        boolean own = db.read(c -> revocations.taskRevoked(c, "agt_m", "build-7"));
        boolean others = db.read(c -> revocations.taskRevoked(c, "agt_a", "build-7"));
        assertThat(own).isTrue();
        assertThat(others).as("another agent's task").isFalse();
        assertThat(db.read(c -> revocations.since(c, 0, 10)).get(0).agentId()).isEqualTo("agt_m");

        // A row from before V6 has no agent: it keeps covering the task id for everyone.
        db.inTransaction(c -> {
            try (var ps = c.prepareStatement("INSERT INTO revocations (kind, target, revoked_at, covers_until) VALUES (?,?,?,?)")) {
                ps.setString(1, "task");
                ps.setString(2, "legacy-task");
                ps.setLong(3, clock.millis());
                ps.setLong(4, clock.millis() + 60_000);
                return ps.executeUpdate();
            }
        });
        boolean legacy = db.read(c -> revocations.taskRevoked(c, "agt_a", "legacy-task"));
        assertThat(legacy).isTrue();
        assertThat(db.read(c -> revocations.since(c, 0, 10)).get(1).scopedToAgent()).isFalse();
    }

    @Test
    void concurrentAuditAppendsKeepOneUnbrokenChain() throws Exception {
        AuditLog audit = new AuditLog(db, clock);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> done = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            int id = w;
            done.add(pool.submit(() -> {
                for (int i = 0; i < 25; i++) {
                    audit.append(AuditEvent.of(RequestContext.NONE, "test.event").agent("agt_" + id).detail("i", i));
                }
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
        AuditVerification v = audit.verify();
        assertThat(v.valid()).as(String.valueOf(v.problem())).isTrue();
        assertThat(v.checked()).isEqualTo(100);
    }

    @Test
    void aUnitThatFailsInAGroupCommitFailsAloneAndTheRestOfItsBatchCommits() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (GroupCommit commits = new GroupCommit(db)) {
            CountDownLatch writerBusy = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Future<Object> blocker = pool.submit(() -> commits.run(c -> {
                writerBusy.countDown();
                await(release); // holds the writer, so the next three queue up as one batch, in this order
                return null;
            }));
            writerBusy.await();
            List<Future<String>> batch = new ArrayList<>();
            batch.add(pool.submit(() -> commits.run(c -> insertAgent(c, "agt_before"))));
            awaitWaiting(commits, 1);
            batch.add(pool.submit(() -> commits.run(c -> {
                insertAgent(c, "agt_failing"); // written, then undone when the unit fails
                return insertAgent(c, "agt_failing"); // a duplicate: a unique violation
            })));
            awaitWaiting(commits, 2);
            batch.add(pool.submit(() -> commits.run(c -> insertAgent(c, "agt_after"))));
            awaitWaiting(commits, 3);
            release.countDown();
            blocker.get();

            assertThat(batch.get(0).get()).isEqualTo("agt_before");
            assertThatThrownBy(() -> batch.get(1).get()).isInstanceOf(java.util.concurrent.ExecutionException.class);
            assertThat(batch.get(2).get()).isEqualTo("agt_after");
            List<String> stored = new ArrayList<>();
            for (String id : List.of("agt_before", "agt_failing", "agt_after")) {
                boolean present = db.read(c -> agents.byId(c, id).isPresent());
                if (present) {
                    stored.add(id);
                }
            }
            assertThat(stored).containsExactly("agt_before", "agt_after");
        } finally {
            pool.shutdownNow();
        }
    }

    private String insertAgent(java.sql.Connection c, String id) throws java.sql.SQLException {
        agents.insert(c, agent(id, "name-" + id));
        return id;
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(30, java.util.concurrent.TimeUnit.SECONDS)).as("released within 30 s").isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void awaitWaiting(GroupCommit commits, int units) {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (commits.waiting() < units) {
            assertThat(System.nanoTime()).as("%d units queued within 10 s", units).isLessThan(deadline);
            Thread.onSpinWait();
        }
    }

    @Test
    void anAuditAppendRolledBackWithItsTransactionLeavesTheChainUnbroken() {
        AuditLog audit = new AuditLog(db, clock);
        audit.append(AuditEvent.of(RequestContext.NONE, "test.kept").detail("i", 1));
        assertThatThrownBy(() -> db.inTransaction(c -> {
            audit.append(c, AuditEvent.of(RequestContext.NONE, "test.undone"));
            throw new IllegalStateException("rolled back after the append");
        })).isInstanceOf(IllegalStateException.class);
        for (int i = 2; i <= 4; i++) { // the first of these is chained onto a head that was never committed
            audit.append(AuditEvent.of(RequestContext.NONE, "test.kept").detail("i", i));
        }
        AuditVerification v = audit.verify();
        assertThat(v.valid()).as(String.valueOf(v.problem())).isTrue();
        assertThat(v.checked()).isEqualTo(4);
    }

    @Test
    void twoWritersOfOneNodesChainTakingTurnsKeepItUnbroken() {
        dev.mayfly.server.audit.AuditChainKey key = new dev.mayfly.server.audit.AuditChainKey(
                dev.mayfly.server.crypto.MasterKey.generate("test"));
        String node = dev.mayfly.server.audit.AuditNodeId.generate();
        AuditLog first = new AuditLog(db, clock, key, node, null, true);
        AuditLog second = new AuditLog(db, clock, key, node, null, true);
        for (int i = 0; i < 6; i++) { // each append makes the other writer's remembered head stale
            (i % 2 == 0 ? first : second).append(AuditEvent.of(RequestContext.NONE, "test.turn").detail("i", i));
            (i % 3 == 0 ? second : first).append(AuditEvent.of(RequestContext.NONE, "test.turn").detail("j", i));
        }
        AuditVerification v = first.verify();
        assertThat(v.valid()).as(String.valueOf(v.problem())).isTrue();
        assertThat(v.checked()).isEqualTo(12);
    }
}
