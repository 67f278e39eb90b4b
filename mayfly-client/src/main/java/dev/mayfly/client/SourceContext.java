package dev.mayfly.client;

import dev.failsafe.RetryPolicy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.random.RandomGenerator;

/**
 * What every token slot of one source shares: time, the scheduler, the retry policy (Failsafe, with
 * {@link Backoff}'s full jitter as its delay function), the refresh policy, the random source, and whether
 * the source is closed. Thread-safe.
 */
final class SourceContext {
    final Clock clock;
    final Scheduler scheduler;
    final RefreshPolicy refreshPolicy;
    final Backoff backoff;
    final Duration acquireTimeout;
    final Duration attemptBudget;
    /** One attempt per renewal, on demand only, its failure thrown as classified (TokenSource.Builder#failFast). */
    final boolean failFast;
    /** Appended to a failed TLS handshake's message in fail-fast mode; may be null. */
    final String tlsHint;
    private final RandomGenerator random;
    private final ReentrantLock randomLock = new ReentrantLock();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final RetryPolicy<AccessToken> retryPolicy;

    SourceContext(Clock clock, Scheduler scheduler, RefreshPolicy refreshPolicy, Backoff backoff, RandomGenerator random,
                  Duration acquireTimeout, Duration attemptBudget) {
        this(clock, scheduler, refreshPolicy, backoff, random, acquireTimeout, attemptBudget, false, null);
    }

    SourceContext(Clock clock, Scheduler scheduler, RefreshPolicy refreshPolicy, Backoff backoff, RandomGenerator random,
                  Duration acquireTimeout, Duration attemptBudget, boolean failFast, String tlsHint) {
        this.failFast = failFast;
        this.tlsHint = tlsHint;
        this.clock = clock;
        this.scheduler = scheduler;
        this.refreshPolicy = refreshPolicy;
        this.backoff = backoff;
        this.random = random;
        this.acquireTimeout = acquireTimeout;
        this.attemptBudget = attemptBudget;
        this.retryPolicy = RetryPolicy.<AccessToken>builder()
                .handle(RenewalException.class)
                .abortOn(e -> e instanceof RenewalException && ((RenewalException) e).permanent())
                .withMaxRetries(-1)
                .withDelayFn(ctx -> {
                    Throwable last = ctx.getLastException();
                    Duration retryAfter = last instanceof RenewalException ? ((RenewalException) last).retryAfter() : null;
                    return backoff.delay(ctx.getAttemptCount(), retryAfter, lockedRandom());
                })
                .build();
    }

    RetryPolicy<AccessToken> retryPolicy() {
        return retryPolicy;
    }

    Instant now() {
        return clock.instant();
    }

    /** Random draws are serialised: the generator may not be thread-safe, and a seeded one stays reproducible. */
    RandomGenerator lockedRandom() {
        return locked;
    }

    private final RandomGenerator locked = new RandomGenerator() {
        @Override
        public long nextLong() {
            randomLock.lock();
            try {
                return random.nextLong();
            } finally {
                randomLock.unlock();
            }
        }

        @Override
        public double nextDouble() {
            randomLock.lock();
            try {
                return random.nextDouble();
            } finally {
                randomLock.unlock();
            }
        }
    };

    boolean closed() {
        return closed.get();
    }

    boolean close() {
        return closed.compareAndSet(false, true);
    }
}
