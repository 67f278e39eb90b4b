package dev.mayfly.server.revocation;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Wakes the broker's stream subscribers when a revocation has been committed. It carries no data: a woken
 * subscriber reads what is new from the store in sequence order, so no revocation can be skipped because
 * two notifications raced. Thread-safe; waiting never holds a monitor (virtual-thread friendly).
 */
public final class RevocationFeed implements AutoCloseable {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private long latest;
    private boolean closed;

    /** Called after a revocation with this sequence number is committed. */
    public void published(long seq) {
        lock.lock();
        try {
            if (seq > latest) {
                latest = seq;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until a revocation after {@code seq} is known, the timeout passes or the feed closes.
     *
     * @return true when there may be something after {@code seq}; false on timeout or close
     */
    public boolean awaitAfter(long seq, Duration timeout) throws InterruptedException {
        long nanos = timeout.toNanos();
        lock.lock();
        try {
            while (latest <= seq && !closed) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = changed.awaitNanos(nanos);
            }
            return !closed;
        } finally {
            lock.unlock();
        }
    }

    public boolean closed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    /** Ends every wait: subscribers finish their streams (the broker is shutting down). */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
