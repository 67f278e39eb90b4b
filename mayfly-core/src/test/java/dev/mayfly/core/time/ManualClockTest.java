package dev.mayfly.core.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class ManualClockTest {
    private static final Instant START = Instant.parse("2026-11-22T14:00:00Z");

    @Test
    void standsStillUntilMoved() {
        ManualClock clock = new ManualClock(START);
        assertThat(clock.instant()).isEqualTo(START);
        assertThat(clock.instant()).isEqualTo(START);
        assertThat(clock.millis()).isEqualTo(START.toEpochMilli());
        assertThat(clock.getZone()).isEqualTo(ZoneOffset.UTC);
    }

    @Test
    void advanceAccumulatesAndSetJumps() {
        ManualClock clock = new ManualClock(START);
        clock.advance(Duration.ofSeconds(90));
        clock.advance(Duration.ofMillis(250));
        assertThat(clock.instant()).isEqualTo(Instant.parse("2026-11-22T14:01:30.250Z"));
        clock.advance(Duration.ofSeconds(-30));
        assertThat(clock.instant()).isEqualTo(Instant.parse("2026-11-22T14:01:00.250Z"));
        clock.set(Instant.EPOCH);
        assertThat(clock.instant()).isEqualTo(Instant.EPOCH);
        clock.advance(Duration.ofDays(1));
        assertThat(clock.instant()).isEqualTo(Instant.parse("1970-01-02T00:00:00Z"));
    }

    @Test
    void withZoneSharesTheSameTimeBothWays() {
        ManualClock utc = new ManualClock(START);
        Clock paris = utc.withZone(ZoneId.of("Europe/Paris"));

        assertThat(paris.getZone()).isEqualTo(ZoneId.of("Europe/Paris"));
        assertThat(utc.getZone()).isEqualTo(ZoneOffset.UTC);
        assertThat(paris.instant()).isEqualTo(START);
        assertThat(LocalDateTime.now(paris)).isEqualTo(LocalDateTime.parse("2026-11-22T15:00:00"));

        utc.advance(Duration.ofMinutes(5));
        assertThat(paris.instant()).isEqualTo(START.plus(Duration.ofMinutes(5)));

        ((ManualClock) paris).advance(Duration.ofMinutes(10));
        assertThat(utc.instant()).isEqualTo(START.plus(Duration.ofMinutes(15)));

        ((ManualClock) paris).set(Instant.EPOCH);
        assertThat(utc.instant()).isEqualTo(Instant.EPOCH);
        assertThat(paris.withZone(ZoneOffset.UTC).instant()).isEqualTo(Instant.EPOCH);
    }

    @Test
    void concurrentAdvancesAreNotLost() throws Exception {
        ManualClock clock = new ManualClock(START);
        int threads = 4;
        int perThread = 10_000;
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread w = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                for (int i = 0; i < perThread; i++) {
                    clock.advance(Duration.ofMillis(1));
                }
            });
            w.start();
            workers.add(w);
        }
        go.countDown();
        for (Thread w : workers) {
            w.join();
        }
        assertThat(clock.instant()).isEqualTo(START.plusMillis((long) threads * perThread));
    }
}
