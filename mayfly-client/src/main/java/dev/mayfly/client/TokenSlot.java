package dev.mayfly.client;

import dev.failsafe.Execution;
import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyError;
import dev.mayfly.core.error.MayflyException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One token of a source, for one {@link TokenRequest}: the current token, at most one renewal in flight
 * (single flight), the scheduled proactive refresh, and a sticky permanent failure.
 *
 * <ul>
 *   <li>A caller gets the current token while it has not expired, even while its renewal is retrying
 *       through a broker outage; past {@link AccessToken#refreshAt()} its call also starts the renewal if
 *       the scheduled one has not.</li>
 *   <li>Without a valid token a caller waits for the renewal in flight (starting it if needed) and gets its
 *       result. If the renewal is backing off and its next attempt is further away than the acquire
 *       timeout, the caller gets {@code UNAVAILABLE} at once instead of queueing behind the outage.</li>
 *   <li>Attempts are timed by Failsafe's retry policy (full-jitter backoff) and run on the
 *       {@link Scheduler}; while the current token is valid no retry waits past halfway to its expiry.
 *       A permanent failure ends the retries and is thrown to every caller after.</li>
 * </ul>
 *
 * <p>A fail-fast source ({@code TokenSource.Builder#failFast}) does no background work: a caller past
 * {@link AccessToken#refreshAt()} waits for the renewal, each renewal is one attempt, and its failure is thrown
 * to the callers waiting as classified ({@link RenewalException#reportedException()}); only a permanent one
 * sticks.
 *
 * State is guarded by a {@link ReentrantLock} that is never held across I/O or a wait, so callers on
 * virtual threads never pin a carrier. Thread-safe.
 */
final class TokenSlot {
    private static final System.Logger LOG = System.getLogger("dev.mayfly.client");
    private static final Duration MIN_RETRY_SPACING = Duration.ofSeconds(1);

    /** Gets a new token for a slot; blocking I/O allowed. */
    @FunctionalInterface
    interface Renewal {
        AccessToken renew(TokenSlot slot) throws RenewalException;
    }

    /** Called when a slot's token goes unused for a whole lifetime, or when a renewal fails for good. */
    interface Host {
        void idle(TokenSlot slot);

        void failedPermanently(TokenSlot slot, RenewalException failure);
    }

    /** One renewal: its Failsafe execution, the future callers wait on, and when its next attempt is due. */
    private final class Flight {
        final CompletableFuture<AccessToken> future = new CompletableFuture<>();
        final Execution<AccessToken> execution = Execution.of(ctx.retryPolicy());
        volatile boolean running;
        volatile Instant nextAttemptAt;
        volatile RenewalException lastFailure;
        volatile int attempts;
        /** A caller waits for this renewal, so its token is handed out at once: it counts as used. */
        volatile boolean demanded;
    }

    final TokenRequest request;
    private final Renewal renewal;
    private final SourceContext ctx;
    private final Host host;
    private final ReentrantLock lock = new ReentrantLock();
    private AccessToken current;
    private Flight flight;
    private RenewalException failure;
    private long generation;
    private boolean used;
    private boolean dropped;
    private Scheduler.Cancellable pending;

    TokenSlot(TokenRequest request, Renewal renewal, SourceContext ctx, Host host) {
        this.request = request;
        this.renewal = renewal;
        this.ctx = ctx;
        this.host = host;
    }

    /** The current token, or a new one; null only when this slot was dropped as idle (ask the source again). */
    AccessToken get() {
        Flight launch = null;
        Flight wait = null;
        AccessToken token = null;
        lock.lock();
        try {
            checkUsable();
            if (dropped) {
                return null;
            }
            used = true;
            Instant now = ctx.now();
            if (current != null && now.isBefore(current.expiresAt())) {
                token = current;
                if (!now.isBefore(current.refreshAt())) {
                    if (flight == null) {
                        launch = flight = new Flight();
                    }
                    if (ctx.failFast) {
                        token = null;
                        wait = flight;
                        wait.demanded = true;
                    }
                }
            } else {
                if (flight == null) {
                    launch = flight = new Flight();
                }
                wait = flight;
                wait.demanded = true;
            }
        } finally {
            lock.unlock();
        }
        if (launch != null) {
            start(launch);
        }
        return token != null ? token : await(wait);
    }

    /** The current token if it is still valid, without starting anything. */
    AccessToken peek() {
        lock.lock();
        try {
            return current != null && ctx.now().isBefore(current.expiresAt()) ? current : null;
        } finally {
            lock.unlock();
        }
    }

    /**
     * A server rejected {@code rejected} as expired: replace it. Concurrent callers holding the same token
     * share one renewal; a caller whose token was already replaced gets the replacement at once.
     */
    AccessToken refresh(AccessToken rejected) {
        Flight launch = null;
        Flight wait;
        lock.lock();
        try {
            checkUsable();
            used = true;
            if (current != null && current != rejected && ctx.now().isBefore(current.expiresAt())) {
                return current;
            }
            if (current == rejected) {
                current = null;
            }
            if (flight == null) {
                launch = flight = new Flight();
            }
            wait = flight;
            wait.demanded = true;
        } finally {
            lock.unlock();
        }
        if (launch != null) {
            start(launch);
        }
        return await(wait);
    }

    /** Forgets {@code token} if it is current, so the next {@link #get} renews. */
    void invalidate(AccessToken token) {
        lock.lock();
        try {
            if (current == token) {
                current = null;
            }
        } finally {
            lock.unlock();
        }
    }

    /** Installs a token obtained elsewhere (a session handed to the source) and schedules its refresh. */
    void preload(AccessToken token) {
        long gen;
        lock.lock();
        try {
            current = token;
            used = true;
            gen = ++generation;
        } finally {
            lock.unlock();
        }
        scheduleRefresh(token, gen);
    }

    /** Ends this slot for good with {@code cause} (its session was revoked, or the source closed). */
    void fail(RenewalException cause) {
        Flight f;
        Scheduler.Cancellable p;
        lock.lock();
        try {
            if (failure != null) {
                return;
            }
            failure = cause;
            current = null;
            f = flight;
            flight = null;
            p = pending;
            pending = null;
        } finally {
            lock.unlock();
        }
        if (p != null) {
            p.cancel();
        }
        if (f != null) {
            f.future.completeExceptionally(cause.toCallerException());
        }
    }

    /** True when this slot failed permanently. */
    boolean failed() {
        lock.lock();
        try {
            return failure != null;
        } finally {
            lock.unlock();
        }
    }

    private void checkUsable() {
        if (failure != null) {
            throw ctx.failFast ? failure.reportedException() : failure.toCallerException();
        }
    }

    private void start(Flight f) {
        ctx.scheduler.schedule(() -> attempt(f), Duration.ZERO);
    }

    private void attempt(Flight f) {
        if (f.future.isDone()) {
            return;
        }
        if (ctx.closed()) {
            f.future.completeExceptionally(closedException());
            return;
        }
        f.running = true;
        f.attempts++;
        AccessToken token;
        try {
            token = renewal.renew(this);
        } catch (RenewalException e) {
            f.running = false;
            failed(f, e);
            return;
        } catch (RuntimeException e) {
            // Not a failure the renewal foresaw: retry it like an outage rather than give up on the token.
            f.running = false;
            failed(f, RenewalException.retryable("unexpected " + e.getClass().getSimpleName(), null, e));
            return;
        }
        f.running = false;
        f.execution.recordResult(token);
        succeeded(f, token);
    }

    private void succeeded(Flight f, AccessToken token) {
        long gen;
        Scheduler.Cancellable old;
        lock.lock();
        try {
            if (flight == f) {
                flight = null;
            }
            if (failure != null) {
                return;
            }
            current = token;
            used = f.demanded;
            gen = ++generation;
            old = pending;
            pending = null;
        } finally {
            lock.unlock();
        }
        if (old != null) {
            old.cancel();
        }
        f.future.complete(token);
        scheduleRefresh(token, gen);
    }

    private void scheduleRefresh(AccessToken token, long gen) {
        if (ctx.failFast) {
            return; // nothing runs in the background: the next caller past refreshAt renews
        }
        Duration delay = Duration.between(ctx.now(), token.refreshAt());
        Scheduler.Cancellable c = ctx.scheduler.schedule(() -> proactive(gen), delay.isNegative() ? Duration.ZERO : delay);
        lock.lock();
        try {
            if (generation == gen) {
                pending = c;
            }
        } finally {
            lock.unlock();
        }
    }

    private void proactive(long gen) {
        Flight launch = null;
        boolean idle = false;
        lock.lock();
        try {
            if (ctx.closed() || generation != gen || flight != null || failure != null || dropped) {
                return;
            }
            if (!request.isSession() && !used) {
                dropped = true; // nobody asked for this token during its whole life: stop renewing it
                current = null;
                idle = true;
            } else {
                launch = flight = new Flight();
            }
        } finally {
            lock.unlock();
        }
        if (idle) {
            host.idle(this);
        } else {
            start(launch);
        }
    }

    private void failed(Flight f, RenewalException e) {
        if (ctx.failFast) {
            lock.lock();
            try {
                if (flight == f) {
                    flight = null;
                }
                if (e.permanent() && failure == null) {
                    failure = e;
                    current = null;
                }
            } finally {
                lock.unlock();
            }
            f.future.completeExceptionally(e.reportedException());
            if (e.permanent()) {
                host.failedPermanently(this, e);
            }
            return;
        }
        f.execution.recordException(e);
        if (f.execution.isComplete()) {
            LOG.log(Level.WARNING, "mayfly-client: " + request + " failed permanently: " + e.getMessage());
            lock.lock();
            try {
                if (flight == f) {
                    flight = null;
                }
                if (failure == null) {
                    failure = e;
                    current = null;
                }
            } finally {
                lock.unlock();
            }
            f.future.completeExceptionally(e.toCallerException());
            host.failedPermanently(this, e);
            return;
        }
        Duration delay = beforeExpiry(f.execution.getDelay());
        f.lastFailure = e;
        f.nextAttemptAt = ctx.now().plus(delay);
        LOG.log(Level.DEBUG, "mayfly-client: " + request + " attempt " + f.attempts + " failed (" + e.getMessage()
                + "); next in " + delay.toMillis() + " ms");
        Scheduler.Cancellable c = ctx.scheduler.schedule(() -> attempt(f), delay);
        lock.lock();
        try {
            if (flight == f) {
                pending = c;
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Backoff never sleeps through the end of the token still being handed out: while it is valid, the next
     * attempt comes at most halfway to its expiry (but not sooner than a second), so an outage that ends
     * shortly before expiry is noticed in time.
     */
    private Duration beforeExpiry(Duration delay) {
        AccessToken valid = peek();
        if (valid == null) {
            return delay;
        }
        Duration half = Duration.between(ctx.now(), valid.expiresAt()).dividedBy(2);
        Duration limit = half.compareTo(MIN_RETRY_SPACING) < 0 ? MIN_RETRY_SPACING : half;
        return delay.compareTo(limit) > 0 ? limit : delay;
    }

    private AccessToken await(Flight f) {
        Instant now = ctx.now();
        Instant next = f.nextAttemptAt;
        if (!f.future.isDone() && !f.running && next != null
                && Duration.between(now, next).compareTo(ctx.acquireTimeout) > 0) {
            throw unavailable(f, now);
        }
        try {
            return f.future.get(ctx.acquireTimeout.plus(ctx.attemptBudget).toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof MayflyException) {
                throw rethrown((MayflyException) cause);
            }
            throw new MayflyException(MayflyError.of(ErrorCode.INTERNAL, "Token renewal failed unexpectedly."), cause);
        } catch (TimeoutException e) {
            throw unavailable(f, ctx.now());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MayflyException(MayflyError.of(ErrorCode.TIMEOUT, "Interrupted while waiting for a token."), e);
        }
    }

    /** A fresh exception per caller, so stack traces show the caller and instances are not shared across threads. */
    private static MayflyException rethrown(MayflyException shared) {
        if (shared instanceof AuthFailureException) {
            return AuthFailureException.of(((AuthFailureException) shared).failure());
        }
        return new MayflyException(shared.error(), shared.getCause());
    }

    private MayflyException unavailable(Flight f, Instant now) {
        RenewalException last = f.lastFailure;
        Instant next = f.nextAttemptAt;
        MayflyError.Builder b = MayflyError.builder(ErrorCode.UNAVAILABLE,
                "No valid token for " + request + ": the broker did not answer"
                        + (last == null ? "" : " (" + last.getMessage() + ")")
                        + (next == null ? "" : "; next attempt at " + next) + ".");
        if (next != null && next.isAfter(now)) {
            b.retryAfterMs(Duration.between(now, next).toMillis());
        }
        return new MayflyException(b.build());
    }

    static MayflyException closedException() {
        return new MayflyException(MayflyError.of(ErrorCode.PRECONDITION, "The token source is closed."));
    }

    @Override
    public String toString() {
        return "TokenSlot[" + request + "]";
    }
}
