package dev.mayfly.server.webhook;

import dev.mayfly.server.Jitter;
import dev.mayfly.server.audit.AuditEvent;
import dev.mayfly.server.audit.AuditLog;
import dev.mayfly.server.store.Database;
import dev.mayfly.core.webhook.WebhookSignature;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends due webhook deliveries: signed ({@code Mayfly-Signature}), one attempt each per run, every attempt
 * recorded. A non-2xx answer or no answer schedules the next attempt with exponential backoff and
 * jitter (1 s doubling, capped at 10 min); after {@link #MAX_ATTEMPTS} the delivery is marked failed.
 * Due-ness comes from the injected clock, so tests call {@link #runDue()} after moving time.
 *
 * <p>Endpoints are isolated: each webhook has its own {@link EndpointLane} (one attempt at a time, in
 * order, at most {@link #LANE_CAPACITY} deliveries held) on a worker of its own, filled from that webhook's
 * own due deliveries, and every attempt has a whole deadline of {@link #TIMEOUT} (connect, answer and body).
 * A hanging endpoint therefore costs its own lane one deadline per attempt and delays no other endpoint; what
 * does not fit in its lane waits in the outbox.
 */
public final class WebhookDispatcher implements AutoCloseable {
    public static final int MAX_ATTEMPTS = 10;
    private static final Logger LOG = LoggerFactory.getLogger(WebhookDispatcher.class);
    private static final Duration BASE = Duration.ofSeconds(1);
    private static final Duration CAP = Duration.ofMinutes(10);
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    /** Deliveries one endpoint's lane holds (queued or in flight); the rest wait, durable, in the outbox. */
    static final int LANE_CAPACITY = 16;
    /** Endpoints looked at per run; more than any deployment registers. */
    private static final int MAX_ENDPOINTS_PER_RUN = 1000;

    private final Database db;
    private final Webhooks webhooks;
    private final Clock clock;
    private final AuditLog audit;
    private final Jitter jitter;
    // HTTP/1.1 explicitly: the JDK client's default (HTTP/2) offers every plain-http receiver an
    // "Upgrade: h2c" with HTTP2-Settings, which a webhook receiver has no use for and some proxies mishandle.
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    private final Map<String, EndpointLane> lanes = new ConcurrentHashMap<>();
    /** A worker per busy lane: a thread waiting on a hanging endpoint must not be one another endpoint needs. */
    private final ExecutorService workers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "mayfly-webhook-" + WORKER_IDS.incrementAndGet());
        t.setDaemon(true);
        return t;
    });
    private static final AtomicLong WORKER_IDS = new AtomicLong();

    public WebhookDispatcher(Database db, Webhooks webhooks, AuditLog audit, Clock clock, Jitter jitter) {
        this.db = db;
        this.webhooks = webhooks;
        this.audit = audit;
        this.clock = clock;
        this.jitter = jitter;
    }

    /**
     * Attempts every delivery due now once and waits until each attempt is recorded; returns how many were
     * attempted. For tests, which move the clock and then want the outcome; the broker itself calls
     * {@link #dispatchDue()}, which does not wait.
     */
    public int runDue() {
        List<CompletableFuture<Void>> started = dispatch();
        CompletableFuture.allOf(started.toArray(CompletableFuture[]::new)).join();
        return started.size();
    }

    /**
     * Hands every delivery due now to its endpoint's lane, as far as the lane has room, and returns at once
     * (the broker's periodic job). Returns how many were handed over.
     */
    public int dispatchDue() {
        return dispatch().size();
    }

    private List<CompletableFuture<Void>> dispatch() {
        Instant now = clock.instant();
        List<CompletableFuture<Void>> started = new ArrayList<>();
        for (String webhookId : db.read(c -> webhooks.store().webhooksWithDue(c, now, MAX_ENDPOINTS_PER_RUN))) {
            EndpointLane lane = lanes.computeIfAbsent(webhookId,
                    id -> new EndpointLane(id, LANE_CAPACITY, workers, this::attempt));
            int room = lane.room();
            if (room <= 0) {
                continue; // this endpoint is behind; its deliveries wait in the outbox, others go on
            }
            // Asks for more than the room: some may already be in the lane (in flight from an earlier run).
            for (Delivery d : db.read(c -> webhooks.store().dueFor(c, webhookId, now, LANE_CAPACITY * 2))) {
                CompletableFuture<Void> taken = lane.offer(d);
                if (taken != null) {
                    started.add(taken);
                }
            }
        }
        return started;
    }

    /** Stops the workers; an attempt cut short stays due in the outbox. */
    @Override
    public void close() {
        workers.shutdownNow();
    }

    private void attempt(Delivery d) {
        Optional<String> secret = db.read(c -> webhooks.secretOf(c, d.webhookId()));
        Optional<String> url = db.read(c -> webhooks.store().byId(c, d.webhookId())).map(s -> s.webhook().url());
        Instant at = clock.instant();
        int attempt = d.attempts() + 1;
        if (secret.isEmpty() || url.isEmpty()) {
            record(d, new Delivery.Attempt(attempt, at, null, "webhook deleted", 0), Delivery.FAILED, at, null);
            return;
        }
        byte[] body = d.payload().getBytes(StandardCharsets.UTF_8);
        long start = System.nanoTime();
        Integer status = null;
        String error = null;
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url.get()))
                    .timeout(TIMEOUT)
                    .header("Content-Type", "application/json")
                    .header("User-Agent", "mayfly-webhooks/1")
                    .header("Mayfly-Event", d.eventType())
                    .header("Mayfly-Delivery", Long.toString(d.deliveryId()))
                    .header(WebhookSignature.HEADER, WebhookSignature.sign(secret.get(), at, body))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build();
            status = send(request);
        } catch (IOException | IllegalArgumentException e) {
            error = e.getClass().getSimpleName();
        } catch (TimeoutException e) {
            error = "HttpTimeoutException";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        Delivery.Attempt a = new Delivery.Attempt(attempt, at, status, error, tookMs);
        if (status != null && status >= 200 && status < 300) {
            record(d, a, Delivery.DELIVERED, at, at);
        } else if (attempt >= MAX_ATTEMPTS) {
            LOG.warn("webhook {} delivery {} failed after {} attempts", d.webhookId(), d.deliveryId(), attempt);
            record(d, a, Delivery.FAILED, at, null);
        } else {
            record(d, a, Delivery.PENDING, at.plus(backoff(attempt)), null);
        }
    }

    /**
     * One request with a deadline on the whole exchange: the request's own timeout only covers the wait
     * for the answer's headers, and a receiver that then trickles (or never finishes) its body must not hold
     * the lane either.
     */
    private int send(HttpRequest request) throws IOException, InterruptedException, TimeoutException {
        CompletableFuture<HttpResponse<Void>> exchange = http.sendAsync(request, HttpResponse.BodyHandlers.discarding());
        try {
            return exchange.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).statusCode();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof IllegalArgumentException iae) {
                throw iae;
            }
            throw new IOException(e.getCause() == null ? "delivery failed" : e.getCause().getClass().getSimpleName());
        } catch (TimeoutException | InterruptedException e) {
            exchange.cancel(true);
            throw e;
        }
    }

    /** Equal jitter over an exponentially growing cap: uniform in [cap/2, cap], so retries spread but never bunch at zero. */
    Duration backoff(int attempt) {
        long cap = Math.min(CAP.toMillis(), BASE.toMillis() << Math.min(attempt - 1, 20));
        long spread = cap / 2 + 1; // fraction * spread is in [0, cap/2]
        return Duration.ofMillis(cap / 2 + (long) (jitter.next() * spread));
    }

    private void record(Delivery d, Delivery.Attempt a, String status, Instant next, Instant deliveredAt) {
        db.inTransaction(c -> {
            webhooks.store().recordAttempt(c, d, a, status, next, deliveredAt);
            if (!Delivery.PENDING.equals(status)) {
                AuditEvent e = DeliveryAudit.of(d, Delivery.DELIVERED.equals(status))
                        .detail("webhook_id", d.webhookId()).detail("delivery_id", d.deliveryId())
                        .detail("event_type", d.eventType()).detail("attempts", a.attempt())
                        .detail("status_code", a.statusCode()).detail("error", a.error());
                audit.append(c, Delivery.DELIVERED.equals(status) ? e : e.denied("UNAVAILABLE"));
            }
            return null;
        });
    }
}
