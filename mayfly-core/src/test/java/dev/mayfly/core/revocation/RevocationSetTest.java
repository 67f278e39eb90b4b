package dev.mayfly.core.revocation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mayfly.core.time.ManualClock;
import dev.mayfly.core.token.AccessTokenClaims;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The in-memory revocation set: broadest granularity first, and memory bounded by live tokens, not history. */
class RevocationSetTest {
    private final ManualClock clock = new ManualClock(Instant.parse("2026-11-22T14:00:00Z"));
    private final RevocationSet set = new RevocationSet(clock);

    private AccessTokenClaims claims(String jti, String sid, String task, String agent) {
        return new AccessTokenClaims("https://broker", agent, List.of("a"), clock.instant().plusSeconds(600),
                clock.instant(), clock.instant(), jti, "cid", List.of("s"), sid, task, null, null);
    }

    @Test
    void findsByEveryGranularityBroadestFirst() {
        Instant until = clock.instant().plusSeconds(900);
        set.add(Revocation.Granularity.TOKEN, "j1", "leak", until);
        set.add(Revocation.Granularity.AGENT, "agt_1", "disabled", until);
        assertThat(set.find(claims("j1", "s", null, "agt_2")).orElseThrow().granularity())
                .isEqualTo(Revocation.Granularity.TOKEN);
        assertThat(set.find(claims("j1", "s", null, "agt_1")).orElseThrow().granularity())
                .isEqualTo(Revocation.Granularity.AGENT);
        set.add(Revocation.Granularity.TASK, "t1", null, until);
        set.add(Revocation.Granularity.SESSION, "s1", null, until);
        assertThat(set.find(claims("x", "s1", "t1", "a")).orElseThrow().granularity())
                .isEqualTo(Revocation.Granularity.SESSION);
        assertThat(set.find(claims("x", "s2", "t1", "a")).orElseThrow().granularity())
                .isEqualTo(Revocation.Granularity.TASK);
        assertThat(set.find(claims("x", "s2", null, "a"))).isEmpty();
    }

    @Test
    void aTaskRevocationCoversOnlyItsOwnAgentsTokensForThatTaskId() {
        Instant until = clock.instant().plusSeconds(900);
        set.add(new RevocationEvent(1, Revocation.Granularity.TASK, "build-7", "done", clock.instant(), until, "agt_m"));
        assertThat(set.find(claims("x", "s", "build-7", "agt_m")).orElseThrow().granularity())
                .isEqualTo(Revocation.Granularity.TASK);
        assertThat(set.find(claims("y", "s2", "build-7", "agt_a"))).as("another agent's task of the same id").isEmpty();
        assertThat(set.find(claims("z", "s", "build-8", "agt_m"))).isEmpty();
    }

    @Test
    void aTaskRevocationOfAnOlderBrokerWithoutAgentStillCoversEveryAgentsTask() {
        set.add(new RevocationEvent(1, Revocation.Granularity.TASK, "build-7", null, clock.instant(),
                clock.instant().plusSeconds(900)));
        assertThat(set.find(claims("x", "s", "build-7", "agt_m"))).isPresent();
        assertThat(set.find(claims("y", "s", "build-7", "agt_a"))).isPresent();
    }

    @Test
    void noTaskIdOrAgentIdCanForgeAnotherAgentsScopedEntry() {
        set.add(new RevocationEvent(1, Revocation.Granularity.TASK, "b", null, clock.instant(),
                clock.instant().plusSeconds(900), "agt_a:x"));
        // The scoped key of (agt_a:x, b) must not be reachable as (agt_a, x:b) nor as the unscoped task "agt_a:x:b".
        assertThat(set.find(claims("j", "s", "x:b", "agt_a"))).isEmpty();
        assertThat(set.find(claims("j", "s", "agt_a:x:b", "agt_z"))).isEmpty();
    }

    @Test
    void anEntryStopsCoveringAtItsTimeAndPruneDropsIt() {
        set.add(Revocation.Granularity.TOKEN, "j", null, clock.instant().plusSeconds(60));
        assertThat(set.find(claims("j", "s", null, "a"))).isPresent();
        clock.advance(Duration.ofSeconds(60));
        assertThat(set.find(claims("j", "s", null, "a"))).isEmpty();
        assertThat(set.prune()).isEqualTo(1);
        assertThat(set.size()).isZero();
        set.add(Revocation.Granularity.TOKEN, "old", null, clock.instant().minusSeconds(1));
        assertThat(set.size()).as("already past: not stored").isZero();
    }

    @Test
    void aMillionShortLivedRevocationsLeaveNothingBehindOnceTheirTokensExpired() {
        Runtime rt = Runtime.getRuntime();
        long before = usedAfterGc(rt);
        for (int i = 0; i < 1_000_000; i++) {
            set.add(Revocation.Granularity.TOKEN, "jti-" + i, null, clock.instant().plusSeconds(120 + i % 60));
        }
        assertThat(set.size()).isEqualTo(1_000_000);
        long full = usedAfterGc(rt);
        clock.advance(Duration.ofMinutes(3));
        assertThat(set.prune()).isEqualTo(1_000_000);
        assertThat(set.size()).isZero();
        long after = usedAfterGc(rt);
        System.out.printf("revocation set: 1,000,000 entries held %d MB; after expiry and prune %d MB above the start%n",
                (full - before) >> 20, Math.max(0, after - before) >> 20);
        assertThat(after - before).as("memory returned").isLessThan((full - before) / 10);
    }

    private static long usedAfterGc(Runtime rt) {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }
}
