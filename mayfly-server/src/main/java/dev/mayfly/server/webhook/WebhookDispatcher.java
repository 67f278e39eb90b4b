package dev.mayfly.server.webhook;

import dev.mayfly.server.Jitter;
import dev.mayfly.server.audit.AuditEvent;
import dev.mayfly.server.audit.AuditLog;
import dev.mayfly.server.audit.RequestContext;
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
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends due webhook deliveries: signed ({@code Mayfly-Signature}), one attempt each per run, every attempt
 * recorded. A non-2xx answer or no answer schedules the next attempt with exponential backoff and
 * jitter (1 s doubling, capped at 10 min); after {@link #MAX_ATTEMPTS} the delivery is marked failed.
 * Due-ness comes from the injected clock, so tests call {@link #runDue()} after moving time.
 */
public final class WebhookDispatcher {
    public static final int MAX_ATTEMPTS = 10;
    private static final Logger LOG = LoggerFactory.getLogger(WebhookDispatcher.class);
    private static final Duration BASE = Duration.ofSeconds(1);
    private static final Duration CAP = Duration.ofMinutes(10);
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

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

    public WebhookDispatcher(Database db, Webhooks webhooks, AuditLog audit, Clock clock, Jitter jitter) {
        this.db = db;
        this.webhooks = webhooks;
        this.audit = audit;
        this.clock = clock;
        this.jitter = jitter;
    }

    /** Attempts every delivery due now once; returns how many were attempted. */
    public int runDue() {
        List<Delivery> due = db.read(c -> webhooks.store().due(c, clock.instant(), 100));
        for (Delivery d : due) {
            attempt(d);
        }
        return due.size();
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
            status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException | IllegalArgumentException e) {
            error = e.getClass().getSimpleName();
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
                AuditEvent e = AuditEvent.of(RequestContext.NONE, Delivery.DELIVERED.equals(status) ? "webhook.delivered" : "webhook.failed")
                        .detail("webhook_id", d.webhookId()).detail("delivery_id", d.deliveryId())
                        .detail("event_type", d.eventType()).detail("attempts", a.attempt())
                        .detail("status_code", a.statusCode()).detail("error", a.error());
                audit.append(c, Delivery.DELIVERED.equals(status) ? e : e.denied("UNAVAILABLE"));
            }
            return null;
        });
    }
}
