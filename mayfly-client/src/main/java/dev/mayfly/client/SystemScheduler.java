package dev.mayfly.client;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link Scheduler#system()}: one daemon timer thread that only hands tasks over, and the tasks themselves on
 * virtual threads (JDK 21+, found reflectively since the library targets 17) or on cached daemon threads.
 */
final class SystemScheduler implements Scheduler {
    private static final System.Logger LOG = System.getLogger("dev.mayfly.client");

    private final ScheduledThreadPoolExecutor timer;
    private final ExecutorService workers;

    SystemScheduler() {
        AtomicInteger n = new AtomicInteger();
        this.timer = new ScheduledThreadPoolExecutor(1, r -> daemon(r, "mayfly-client-timer"));
        this.timer.setRemoveOnCancelPolicy(true);
        this.workers = workers(n);
    }

    private static ExecutorService workers(AtomicInteger n) {
        try {
            return (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return Executors.newCachedThreadPool(r -> daemon(r, "mayfly-client-" + n.incrementAndGet()));
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    @Override
    public Cancellable schedule(Runnable task, Duration delay) {
        Runnable safe = () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "mayfly-client task failed: " + e.getClass().getName());
            }
        };
        long nanos = Math.max(0, delay.toNanos());
        ScheduledFuture<?> f = timer.schedule(() -> workers.execute(safe), nanos, TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
    }

    @Override
    public void close() {
        timer.shutdownNow();
        workers.shutdown();
    }
}
