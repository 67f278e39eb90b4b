package dev.mayfly.server;

import dev.mayfly.server.http.Router;
import dev.mayfly.server.metrics.BrokerMetrics;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code /healthz} (the process answers), {@code /readyz} (it can issue a token now: see {@link Readiness})
 * and {@code /metrics}.
 */
final class HealthRoutes {
    private HealthRoutes() {
    }

    static void install(Router router, Readiness readiness, BrokerMetrics metrics) {
        router.add("GET", "/healthz", ex -> ex.sendJson(200, Map.of("status", "ok"), Map.of()));
        router.add("GET", "/metrics", ex -> ex.send(200, "text/plain; version=0.0.4; charset=utf-8",
                metrics.scrape().getBytes(StandardCharsets.UTF_8), Map.of()));
        router.add("GET", "/readyz", ex -> {
            Map<String, Object> checks = readiness.checks();
            boolean ready = Readiness.ready(checks);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("status", ready ? "ready" : "not_ready");
            body.put("checks", checks);
            ex.sendJson(ready ? 200 : 503, body, Map.of());
        });
    }
}
