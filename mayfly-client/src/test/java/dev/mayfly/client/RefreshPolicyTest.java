package dev.mayfly.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The refresh point honours the broker's refresh_after, adds jitter after it, and never passes the latest point. */
class RefreshPolicyTest {
    static final Duration L = Duration.ofMinutes(10);

    @Test
    void neverBeforeRefreshAfterNorAfterTheLatestPoint() {
        RefreshPolicy p = RefreshPolicy.defaults();
        Random r = new Random(1);
        for (int i = 0; i < 10_000; i++) {
            Duration after = Duration.ofSeconds(360 + r.nextInt(121)); // the broker's 60-80 %
            Duration d = p.refreshDelay(L, after, r);
            assertThat(d).isGreaterThanOrEqualTo(after).isLessThanOrEqualTo(Duration.ofSeconds(540));
        }
    }

    @Test
    void withoutRefreshAfterFallsInTheBrokersWindowPlusJitter() {
        RefreshPolicy p = RefreshPolicy.defaults();
        Random r = new Random(2);
        for (int i = 0; i < 10_000; i++) {
            assertThat(p.refreshDelay(L, null, r)).isBetween(Duration.ofSeconds(360), Duration.ofSeconds(540));
        }
    }

    @Test
    void aRefreshAfterBeyondTheLatestPointIsClamped() {
        RefreshPolicy p = RefreshPolicy.builder().jitter(0).latest(0.9).build();
        assertThat(p.refreshDelay(L, Duration.ofSeconds(590), new Random(3))).isEqualTo(Duration.ofSeconds(540));
    }

    @Test
    void withoutJitterTheHintIsExact() {
        RefreshPolicy p = RefreshPolicy.builder().jitter(0).build();
        assertThat(p.refreshDelay(L, Duration.ofSeconds(400), new Random(4))).isEqualTo(Duration.ofSeconds(400));
    }

    @Test
    void aHintOutsideTheLifetimeIsIgnored() {
        RefreshPolicy p = RefreshPolicy.builder().jitter(0).fallbackWindow(0.5, 0.5).build();
        assertThat(p.refreshDelay(L, Duration.ofMinutes(20), new Random(5))).isEqualTo(Duration.ofMinutes(5));
        assertThat(p.refreshDelay(L, Duration.ZERO, new Random(5))).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> RefreshPolicy.builder().jitter(0.9)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RefreshPolicy.builder().latest(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RefreshPolicy.builder().fallbackWindow(0.8, 0.6)).isInstanceOf(IllegalArgumentException.class);
    }
}
