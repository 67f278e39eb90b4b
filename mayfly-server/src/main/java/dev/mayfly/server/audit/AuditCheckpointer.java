package dev.mayfly.server.audit;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes this node's checkpoints on a thread of its own (never on the issuance path): every interval, every
 * N appends (the append only wakes this thread), and a last one at clean shutdown, after the last append.
 */
public final class AuditCheckpointer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AuditCheckpointer.class);

    private final AuditCheckpoints checkpoints;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "mayfly-audit-checkpoint");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean queued = new AtomicBoolean();

    private AuditCheckpointer(AuditCheckpoints checkpoints) {
        this.checkpoints = checkpoints;
    }

    /** Starts writing {@code audit}'s checkpoints as {@code config} says. */
    public static AuditCheckpointer start(AuditLog audit, AuditChainConfig config) {
        AuditCheckpointer c = new AuditCheckpointer(audit.checkpoints());
        long every = config.checkpointInterval().toMillis();
        c.thread.scheduleWithFixedDelay(c::writeQuietly, every, every, TimeUnit.MILLISECONDS);
        audit.checkpoints().whenDue(config.checkpointRecords(), () -> {
            if (c.queued.compareAndSet(false, true)) {
                c.thread.execute(() -> {
                    c.queued.set(false);
                    c.writeQuietly();
                });
            }
        });
        return c;
    }

    private void writeQuietly() {
        try {
            checkpoints.write();
        } catch (RuntimeException e) {
            // The next one will name the same heads and more; the chain itself is intact either way.
            LOG.warn("audit checkpoint failed: {}", e.toString());
        }
    }

    /** Stops the schedule and writes the shutdown checkpoint (call after the last append, before the database closes). */
    @Override
    public void close() {
        thread.shutdownNow();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        writeQuietly();
    }
}
