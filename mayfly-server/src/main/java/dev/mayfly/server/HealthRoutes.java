package dev.mayfly.server;

import dev.mayfly.server.crypto.SigningKeyRing;
import dev.mayfly.server.http.Router;
import dev.mayfly.server.metrics.BrokerMetrics;
import dev.mayfly.server.store.Database;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code /healthz} (the process answers), {@code /readyz} (it can serve: database, signing key) and {@code /metrics}. */
final class HealthRoutes {
    private HealthRoutes() {
    }

    static void install(Router router, Database db, SigningKeyRing keys, BrokerMetrics metrics) {
        router.add("GET", "/healthz", ex -> ex.sendJson(200, Map.of("status", "ok"), Map.of()));
        router.add("GET", "/metrics", ex -> ex.send(200, "text/plain; version=0.0.4; charset=utf-8",
                metrics.scrape().getBytes(StandardCharsets.UTF_8), Map.of()));
        router.add("GET", "/readyz", ex -> {
            Map<String, Object> checks = new LinkedHashMap<>();
            checks.put("database", db.isReachable());
            checks.put("signing_key", keys.activeKeyId() != null);
            checks.put("migrations", db.migrationsCurrent());
            boolean ready = !checks.containsValue(false);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("status", ready ? "ready" : "not_ready");
            body.put("checks", checks);
            ex.sendJson(ready ? 200 : 503, body, Map.of());
        });
    }
}
