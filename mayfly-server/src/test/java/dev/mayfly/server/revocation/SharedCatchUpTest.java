package dev.mayfly.server.revocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The catch-up query shared by concurrent checks: never one that started before a check began, and shared. */
class SharedCatchUpTest {
    private final ExecutorService pool = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    /** A round that blocks until released, counting how many rounds started. */
    static final class Rounds implements Runnable {
        final AtomicInteger started = new AtomicInteger();
        final List<CountDownLatch> entered = new ArrayList<>();
        final List<CountDownLatch> release = new ArrayList<>();
        volatile RuntimeException failWith;

        Rounds(int n) {
            for (int i = 0; i < n; i++) {
                entered.add(new CountDownLatch(1));
                release.add(new CountDownLatch(1));
            }
        }

        @Override
        public void run() {
            int i = started.getAndIncrement();
            entered.get(i).countDown();
            await(release.get(i));
            if (failWith != null) {
                throw failWith;
            }
        }
    }

    static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Until {@code n} checks wait behind the running round (they arrived while it ran). */
    static void awaitWaiting(SharedCatchUp shared, int n) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (shared.waiting() < n) {
            assertThat(System.nanoTime()).as("%d checks waiting within 10 s", n).isLessThan(deadline);
            Thread.onSpinWait();
        }
    }

    @Test
    void aCheckThatArrivesDuringARoundWaitsForTheNextAndThoseArrivingTogetherShareIt() throws Exception {
        Rounds rounds = new Rounds(3);
        SharedCatchUp shared = new SharedCatchUp(rounds);
        Future<?> first = pool.submit(shared::await);
        await(rounds.entered.get(0)); // round 1 runs
        List<Future<?>> later = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            later.add(pool.submit(shared::await)); // arrive while round 1 runs: it may have read too early for them
        }
        awaitWaiting(shared, 8);
        rounds.release.get(0).countDown();
        first.get(10, TimeUnit.SECONDS);
        await(rounds.entered.get(1)); // one of the eight starts round 2, for all of them
        for (Future<?> f : later) {
            assertThat(f.isDone()).as("done before a round that started after it").isFalse();
        }
        rounds.release.get(1).countDown();
        for (Future<?> f : later) {
            f.get(10, TimeUnit.SECONDS);
        }
        assertThat(rounds.started.get()).as("rounds for nine checks").isEqualTo(2);
    }

    @Test
    void aCheckAloneRunsItsOwnRoundAtOnceEveryTime() {
        AtomicInteger rounds = new AtomicInteger();
        SharedCatchUp shared = new SharedCatchUp(rounds::incrementAndGet);
        for (int i = 0; i < 5; i++) {
            shared.await();
        }
        assertThat(rounds.get()).isEqualTo(5);
    }

    @Test
    void checksWhoseRoundFailedFailClosedAndTheNextCheckTriesAgain() throws Exception {
        Rounds rounds = new Rounds(3);
        SharedCatchUp shared = new SharedCatchUp(rounds);
        Future<?> first = pool.submit(shared::await);
        await(rounds.entered.get(0));
        rounds.failWith = new MayflyException(ErrorCode.UNAVAILABLE, "The database is unavailable or busy.");
        List<Future<?>> later = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            later.add(pool.submit(shared::await));
        }
        awaitWaiting(shared, 4);
        rounds.release.get(0).countDown(); // round 1 fails: its own caller fails
        assertThatThrownBy(() -> first.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(MayflyException.class);
        await(rounds.entered.get(1));
        rounds.release.get(1).countDown(); // round 2, the later checks' round, fails too
        for (Future<?> f : later) {
            assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(MayflyException.class)
                    .satisfies(e -> assertThat(((MayflyException) e).code()).isEqualTo(ErrorCode.UNAVAILABLE));
        }
        rounds.failWith = null;
        rounds.release.get(2).countDown();
        shared.await(); // the database is back: a new round, which succeeds
        assertThat(rounds.started.get()).isEqualTo(3);
    }
}
