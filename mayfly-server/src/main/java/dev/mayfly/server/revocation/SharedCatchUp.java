package dev.mayfly.server.revocation;

import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyError;
import dev.mayfly.core.error.MayflyException;

/**
 * One catch-up query shared by every check that arrived before it started. A check must see every revocation
 * acknowledged before it began; any query that <em>started</em> after the check began reads such a revocation,
 * whoever started it. So a check waits for the round in flight (which may have started before it) to end and
 * then joins the next round, or starts that round itself; all checks that arrive meanwhile share it. Under load
 * this makes the catch-up one query per round trip instead of one per token; alone, a check runs its own query
 * at once. A check whose round failed fails too (closed), as if the query had been its own.
 *
 * <p>Rounds run one at a time. Thread-safe.
 */
final class SharedCatchUp {
    private final Runnable round;
    private long started;
    private long finished;
    private long succeeded;
    private RuntimeException lastFailure;
    private boolean running;
    private int waiting;

    /** @param round the query and whatever it must apply before a check may go on; throws when it cannot read */
    SharedCatchUp(Runnable round) {
        this.round = round;
    }

    /** Returns once a round that started after this call has run; throws when that round failed. */
    void await() {
        long mine;
        synchronized (this) {
            long needed = started + 1; // rounds up to `started` may have begun before this check did
            while (true) {
                if (succeeded >= needed) {
                    return;
                }
                if (finished >= needed) {
                    throw failed(lastFailure);
                }
                if (!running) {
                    break;
                }
                waiting++;
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new MayflyException(MayflyError.builder(ErrorCode.UNAVAILABLE,
                            "Interrupted while checking revocations.").retryAfterMs(1000).build(), e);
                } finally {
                    waiting--;
                }
            }
            running = true;
            mine = ++started; // nothing runs, so started == finished < needed: this is round `needed`
        }
        RuntimeException failure = null;
        try {
            round.run();
        } catch (RuntimeException e) {
            failure = e;
            throw e;
        } finally {
            synchronized (this) {
                running = false;
                finished = mine;
                if (failure == null) {
                    succeeded = mine;
                } else {
                    lastFailure = failure;
                }
                notifyAll();
            }
        }
    }

    /** Checks waiting for a round to end (for tests that line checks up behind a round). */
    synchronized int waiting() {
        return waiting;
    }

    /** The round's failure for another thread: a new exception of the same error, so stack traces stay its own. */
    private static RuntimeException failed(RuntimeException e) {
        if (e instanceof MayflyException) {
            return new MayflyException(((MayflyException) e).error(), e);
        }
        return new MayflyException(MayflyError.builder(ErrorCode.UNAVAILABLE, "The database is unavailable or busy.")
                .retryAfterMs(1000).build(), e);
    }
}
