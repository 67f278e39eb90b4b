package dev.mayfly.server.webhook;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deliveries of one webhook endpoint, sent one at a time in order, on a worker of their own: a slow or
 * hanging endpoint holds up only its own lane, never another endpoint's. The lane is bounded: it takes at
 * most {@code capacity} deliveries (queued or in flight); what does not fit stays due in the outbox and is
 * offered again on a later run, so nothing is lost and a dead endpoint cannot grow memory. A delivery already
 * in the lane is not taken twice. Thread-safe.
 */
final class EndpointLane {
    private static final Logger LOG = LoggerFactory.getLogger(EndpointLane.class);

    private final String webhookId;
    private final int capacity;
    private final Executor workers;
    private final Consumer<Delivery> attempt;
    private final ArrayDeque<Delivery> queue = new ArrayDeque<>();
    /** Queued and in-flight deliveries by id, each with what completes when its attempt is recorded. */
    private final Map<Long, CompletableFuture<Void>> held = new HashMap<>();
    private boolean draining;

    EndpointLane(String webhookId, int capacity, Executor workers, Consumer<Delivery> attempt) {
        this.webhookId = webhookId;
        this.capacity = capacity;
        this.workers = workers;
        this.attempt = attempt;
    }

    /** How many more deliveries the lane would take now. */
    synchronized int room() {
        return capacity - held.size();
    }

    /**
     * Takes a delivery unless it is already in the lane or the lane is full.
     *
     * @return what completes once its attempt is recorded, or null when not taken
     */
    synchronized CompletableFuture<Void> offer(Delivery d) {
        if (held.containsKey(d.deliveryId()) || held.size() >= capacity) {
            return null;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        held.put(d.deliveryId(), done);
        queue.add(d);
        if (!draining) {
            draining = true;
            workers.execute(this::drain);
        }
        return done;
    }

    private void drain() {
        while (true) {
            Delivery d;
            synchronized (this) {
                d = queue.poll();
                if (d == null) {
                    draining = false;
                    return;
                }
            }
            try {
                attempt.accept(d);
            } catch (RuntimeException e) {
                // The delivery stays due in the outbox (nothing was recorded) and is offered again next run.
                LOG.warn("webhook {} delivery {}: attempt failed to run ({})", webhookId, d.deliveryId(),
                        e.getClass().getSimpleName());
            } finally {
                CompletableFuture<Void> done;
                synchronized (this) {
                    done = held.remove(d.deliveryId());
                }
                if (done != null) {
                    done.complete(null);
                }
            }
        }
    }
}
