package dev.mayfly.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The refresh storm: 1,000 agents log in at the same instant (a fleet restarted together) and then keep
 * their sessions for an hour. Their refresh times are computed from the schedule the token source uses
 * ({@link RefreshPolicy}, and the re-login rule of {@code SessionRenewal}), with seeded randomness, so the
 * numbers are deterministic; no broker, no sleeping. Peak refreshes per second with the broker's jittered
 * {@code refresh_after} and the client's jitter are compared with the lockstep case.
 */
class RefreshStormTest {
    static final int AGENTS = 1_000;
    static final long LIFETIME_S = 600;   // a standard-tier session token (DESIGN §3.4)
    static final long SESSION_S = 1_800;  // the session's absolute lifetime
    static final int HORIZON_S = 3_600;

    enum Hint {
        /** A broker that always says refresh_after = 2/3 of the lifetime. */
        LOCKSTEP,
        /** Mayfly's broker: refresh_after = floor(lifetime × U(0.6, 0.8)), at least 1 s (AccessTokenMinter). */
        JITTERED
    }

    record Result(int peakPerSecond, int peakSecond, int firstWavePeak, long total, long spreadSeconds) {
    }

    static Result simulate(RefreshPolicy policy, Hint hint, long seed) {
        Random random = new Random(seed);
        int[] perSecond = new int[HORIZON_S];
        long total = 0;
        long firstMin = Long.MAX_VALUE;
        long firstMax = Long.MIN_VALUE;
        for (int agent = 0; agent < AGENTS; agent++) {
            double t = 0;
            double sessionEnd = SESSION_S;
            boolean first = true;
            while (true) {
                double lifetime = Math.min(LIFETIME_S, sessionEnd - t);
                Duration life = Duration.ofMillis(Math.round(lifetime * 1000));
                Duration after = hint == Hint.LOCKSTEP
                        ? Duration.ofMillis(Math.round(lifetime * 1000 * 2 / 3))
                        : Duration.ofSeconds(Math.max(1, (long) Math.floor(lifetime * (0.6 + 0.2 * random.nextDouble()))));
                t += policy.refreshDelay(life, after, random).toMillis() / 1000.0;
                if (t >= HORIZON_S) {
                    break;
                }
                perSecond[(int) t]++;
                total++;
                if (first) {
                    firstMin = Math.min(firstMin, (long) t);
                    firstMax = Math.max(firstMax, (long) t);
                    first = false;
                }
                if (sessionEnd - t < LIFETIME_S / 2.0) {
                    sessionEnd = t + SESSION_S; // SessionRenewal: log in again when under half a lifetime is left
                }
            }
        }
        int peak = 0;
        int at = 0;
        int firstWavePeak = 0;
        for (int s = 0; s < HORIZON_S; s++) {
            if (perSecond[s] > peak) {
                peak = perSecond[s];
                at = s;
            }
            if (s >= firstMin && s <= firstMax) {
                firstWavePeak = Math.max(firstWavePeak, perSecond[s]);
            }
        }
        return new Result(peak, at, firstWavePeak, total, firstMax - firstMin + 1);
    }

    @Test
    void jitterSpreadsAFleetsRefreshes() {
        RefreshPolicy none = RefreshPolicy.builder().jitter(0).build();
        RefreshPolicy client = RefreshPolicy.defaults();

        Result lockstep = simulate(none, Hint.LOCKSTEP, 42);
        Result clientOnly = simulate(client, Hint.LOCKSTEP, 42);
        Result brokerOnly = simulate(none, Hint.JITTERED, 42);
        Result both = simulate(client, Hint.JITTERED, 42);

        System.out.printf("refresh storm: %d agents issued at t=0, %d s tokens, %d s sessions, %d s simulated%n",
                AGENTS, LIFETIME_S, SESSION_S, HORIZON_S);
        print("no jitter (lockstep hint, client jitter 0)", lockstep);
        print("client jitter only (lockstep hint, jitter 0.1)", clientOnly);
        print("broker jitter only (refresh_after 60-80 %, jitter 0)", brokerOnly);
        print("broker + client jitter (defaults)", both);

        assertThat(lockstep.peakPerSecond()).as("without jitter every agent refreshes in the same second").isEqualTo(AGENTS);
        assertThat(clientOnly.peakPerSecond()).isLessThanOrEqualTo(AGENTS / 10);
        assertThat(brokerOnly.peakPerSecond()).isLessThanOrEqualTo(AGENTS / 20);
        assertThat(both.peakPerSecond()).isLessThanOrEqualTo(AGENTS / 25);
        assertThat(both.spreadSeconds()).as("first wave spread over the 60-90 % window").isGreaterThanOrEqualTo(150);
        assertThat(simulate(client, Hint.JITTERED, 42)).as("deterministic").isEqualTo(both);
        // Jitter moves refreshes in time; it does not add any.
        assertThat(both.total()).isBetween(lockstep.total() * 8 / 10, lockstep.total() * 12 / 10);
    }

    static void print(String label, Result r) {
        System.out.printf("  %-55s peak %4d/s (at t=%4d s), first wave peak %4d/s over %4d s, %5d refreshes in total%n",
                label, r.peakPerSecond(), r.peakSecond(), r.firstWavePeak(), r.spreadSeconds(), r.total());
    }
}
