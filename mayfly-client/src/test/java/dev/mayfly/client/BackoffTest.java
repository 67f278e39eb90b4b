package dev.mayfly.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Random;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/** Full-jitter exponential backoff: U(0, min(cap, base·2^(n-1))), plus Retry-After, never below 1 ms. */
class BackoffTest {
    static RandomGenerator fixed(double u) {
        return new RandomGenerator() {
            @Override
            public long nextLong() {
                return 0;
            }

            @Override
            public double nextDouble() {
                return u;
            }
        };
    }

    final Backoff backoff = Backoff.exponential(Duration.ofMillis(200), Duration.ofSeconds(30));

    @Test
    void ceilingDoublesUpToTheCap() {
        assertThat(backoff.ceiling(1)).isEqualTo(Duration.ofMillis(200));
        assertThat(backoff.ceiling(2)).isEqualTo(Duration.ofMillis(400));
        assertThat(backoff.ceiling(8)).isEqualTo(Duration.ofMillis(25_600));
        assertThat(backoff.ceiling(9)).isEqualTo(Duration.ofSeconds(30));
        assertThat(backoff.ceiling(1_000)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void delayIsTheCeilingTimesTheDraw() {
        assertThat(backoff.delay(3, null, fixed(0.5))).isEqualTo(Duration.ofMillis(400));
        assertThat(backoff.delay(3, null, fixed(0.999999))).isLessThan(Duration.ofMillis(800));
        assertThat(backoff.delay(3, null, fixed(0.0))).isEqualTo(Duration.ofMillis(1));
        assertThat(backoff.delay(30, null, fixed(0.5))).isEqualTo(Duration.ofSeconds(15));
    }

    @Test
    void retryAfterIsHonouredAndCapped() {
        assertThat(backoff.delay(1, Duration.ofSeconds(2), fixed(0.5))).isEqualTo(Duration.ofMillis(2_100));
        assertThat(backoff.delay(1, Duration.ofHours(1), fixed(0.0))).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void everyDelayLiesWithinItsCeiling() {
        Random r = new Random(7);
        for (int n = 1; n < 40; n++) {
            Duration d = backoff.delay(n, null, r);
            assertThat(d).isBetween(Duration.ofMillis(1), backoff.ceiling(n));
        }
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> Backoff.exponential(Duration.ZERO, Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Backoff.exponential(Duration.ofSeconds(2), Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
    }
}
