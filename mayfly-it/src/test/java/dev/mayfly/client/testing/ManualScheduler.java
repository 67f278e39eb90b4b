package dev.mayfly.client.testing;

import dev.mayfly.client.Scheduler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link Scheduler} on a fake clock: zero-delay tasks run at once on the calling thread, delayed ones when
 * the test calls {@link #runDue()} after moving the clock. Records every delay it was asked for, so tests
 * can check a backoff schedule exactly. Thread-safe.
 */
public final class ManualScheduler implements Scheduler {
    private record Entry(Instant due, long seq, Runnable task, Duration delay) {
    }

    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final PriorityQueue<Entry> queue = new PriorityQueue<>((a, b) -> {
        int c = a.due.compareTo(b.due);
        return c != 0 ? c : Long.compare(a.seq, b.seq);
    });
    private final List<Duration> delays = new ArrayList<>();
    private long seq;

    public ManualScheduler(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Cancellable schedule(Runnable task, Duration delay) {
        if (delay.isZero() || delay.isNegative()) {
            task.run();
            return () -> { };
        }
        Entry e;
        lock.lock();
        try {
            e = new Entry(clock.instant().plus(delay), seq++, task, delay);
            queue.add(e);
            delays.add(delay);
        } finally {
            lock.unlock();
        }
        return () -> {
            lock.lock();
            try {
                queue.remove(e);
            } finally {
                lock.unlock();
            }
        };
    }

    /** Runs every task due at the clock's current time, including ones they schedule for now or earlier. */
    public int runDue() {
        int ran = 0;
        while (true) {
            Entry next;
            lock.lock();
            try {
                next = queue.peek();
                if (next == null || next.due.isAfter(clock.instant())) {
                    return ran;
                }
                queue.poll();
            } finally {
                lock.unlock();
            }
            next.task.run();
            ran++;
        }
    }

    /** When the next task is due, or null. */
    public Instant nextDue() {
        lock.lock();
        try {
            Entry e = queue.peek();
            return e == null ? null : e.due;
        } finally {
            lock.unlock();
        }
    }

    public int pending() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    /** Every positive delay asked for so far, in order. */
    public List<Duration> delays() {
        lock.lock();
        try {
            return List.copyOf(delays);
        } finally {
            lock.unlock();
        }
    }
}
