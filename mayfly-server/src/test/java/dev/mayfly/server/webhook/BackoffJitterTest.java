package dev.mayfly.server.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Retry delays: uniform in [cap/2, cap] for a cap doubling from 1 s to 10 min, drawn from the injected jitter. */
class BackoffJitterTest {
    private static WebhookDispatcher dispatcher(double fraction) {
        return new WebhookDispatcher(null, null, null, Clock.systemUTC(), () -> fraction);
    }

    @Test
    void noJitterWaitsHalfTheCap() {
        assertThat(dispatcher(0.0).backoff(1)).isEqualTo(Duration.ofMillis(500));
        assertThat(dispatcher(0.0).backoff(4)).isEqualTo(Duration.ofMillis(4_000));
    }

    @Test
    void fullJitterWaitsTheWholeCap() {
        double almostOne = Math.nextDown(1.0);
        assertThat(dispatcher(almostOne).backoff(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(dispatcher(almostOne).backoff(4)).isEqualTo(Duration.ofSeconds(8));
    }

    @Test
    void theCapStopsGrowingAtTenMinutes() {
        assertThat(dispatcher(0.5).backoff(11)).isEqualTo(dispatcher(0.5).backoff(30));
        assertThat(dispatcher(Math.nextDown(1.0)).backoff(30)).isEqualTo(Duration.ofMinutes(10));
    }
}
