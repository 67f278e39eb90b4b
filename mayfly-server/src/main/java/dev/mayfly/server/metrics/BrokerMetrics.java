package dev.mayfly.server.metrics;

import dev.mayfly.core.error.MayflyError;
import dev.mayfly.server.audit.AuditRecord;
import dev.mayfly.server.http.HttpExchange;
import dev.mayfly.server.http.RequestListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The broker's Prometheus metrics (Micrometer). Acts are counted from the audit trail as it is written,
 * so every issued token, revocation, denial and webhook outcome is counted exactly where it is recorded;
 * request latencies come from the router, token-endpoint latencies per grant type. Thread-safe.
 */
public final class BrokerMetrics implements RequestListener {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<Long, Long> subscriberPositions = new ConcurrentHashMap<>();
    private final AtomicLong subscriberIds = new AtomicLong();

    public BrokerMetrics(LongSupplier latestRevocationSeq) {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        Gauge.builder("mayfly_feed_subscribers", subscriberPositions, Map::size)
                .description("Open revocation stream connections").register(registry);
        Gauge.builder("mayfly_feed_max_lag", () -> {
            long latest = latestRevocationSeq.getAsLong();
            return subscriberPositions.values().stream().mapToLong(p -> Math.max(0, latest - p)).max().orElse(0);
        }).description("Revocations not yet sent to the slowest stream subscriber").register(registry);
    }

    /** Counts one audit record by what it records. */
    public void recorded(AuditRecord r) {
        switch (r.event()) {
            case "session.started":
            case "token.refreshed":
            case "token.exchanged":
                Counter.builder("mayfly_tokens_issued").description("Access tokens issued")
                        .tag("event", r.event()).tag("tier", r.tier() == null ? "none" : r.tier())
                        .register(registry).increment();
                break;
            case "revocation.created":
                Counter.builder("mayfly_revocations").description("Revocations acknowledged")
                        .tag("kind", String.valueOf(r.details() == null ? "unknown" : r.details().get("kind")))
                        .register(registry).increment();
                break;
            case "request.denied":
            case "refresh_token.reused":
                Counter.builder("mayfly_denials").description("Requests refused, by catalog code")
                        .tag("code", r.code() == null ? "unknown" : r.code()).register(registry).increment();
                break;
            case "webhook.delivered":
            case "webhook.failed":
                Counter.builder("mayfly_webhook_deliveries").description("Webhook deliveries finished")
                        .tag("outcome", r.event().substring("webhook.".length())).register(registry).increment();
                break;
            case "leak.reported":
                Counter.builder("mayfly_leak_reports").description("Leaked credentials reported")
                        .register(registry).increment();
                break;
            default:
                break;
        }
    }

    @Override
    public void finished(HttpExchange ex, MayflyError failure) {
        Duration took = Duration.ofNanos(ex.elapsedNanos());
        Timer.builder("mayfly_http_requests").description("HTTP requests by route")
                .tag("method", ex.method()).tag("route", ex.route()).tag("status", Integer.toString(ex.status()))
                .publishPercentileHistogram()
                .register(registry).record(took);
        String grant = ex.attribute("grant");
        if (grant != null) {
            Timer.builder("mayfly_token_requests").description("Token endpoint latency by grant type")
                    .tag("grant", grant).tag("outcome", failure == null ? "issued" : failure.code().name())
                    .publishPercentileHistogram()
                    .register(registry).record(took);
        }
    }

    /** A revocation stream subscriber opened; report its position as it sends; close when done. */
    public StreamPosition subscriberOpened() {
        long id = subscriberIds.incrementAndGet();
        subscriberPositions.put(id, 0L);
        return new StreamPosition() {
            @Override
            public void sent(long seq) {
                subscriberPositions.put(id, seq);
            }

            @Override
            public void close() {
                subscriberPositions.remove(id);
            }
        };
    }

    /** Where one stream subscriber is. */
    public interface StreamPosition extends AutoCloseable {
        void sent(long seq);

        @Override
        void close();
    }

    /** The Prometheus text exposition of everything. */
    public String scrape() {
        return registry.scrape();
    }
}
