package dev.mayfly.client;

import java.time.Duration;

/**
 * Runs a task after a delay: the token source's only source of timing, so that tests can drive refreshes
 * and retries deterministically instead of sleeping. {@link #system()} uses one timer thread and runs tasks
 * on virtual threads where the JDK has them (21+), else on a small pool of daemon threads.
 *
 * <p>A task may block (it makes HTTP calls). An implementation may run a task whose delay is zero before
 * {@link #schedule} returns. Implementations must be thread-safe.
 */
public interface Scheduler extends AutoCloseable {
    /** Runs {@code task} once after {@code delay} (zero or negative: as soon as possible). */
    Cancellable schedule(Runnable task, Duration delay);

    /** Stops running tasks. The token source closes a scheduler it created itself, never one it was given. */
    @Override
    default void close() {
    }

    /** A new scheduler on the system's time. */
    static Scheduler system() {
        return new SystemScheduler();
    }

    /** A scheduled task that may be cancelled before it runs. */
    @FunctionalInterface
    interface Cancellable {
        void cancel();
    }
}
