package dev.mayfly.server;

import dev.mayfly.server.http.Router;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code /healthz} (the process answers) and {@code /readyz} (it can serve: database, signing key). */
final class HealthRoutes {
    private HealthRoutes() {
    }

    static void install(Router router, BrokerContext ctx) {
        router.add("GET", "/healthz", ex -> ex.sendJson(200, Map.of("status", "ok"), Map.of()));
        router.add("GET", "/metrics", ex -> ex.send(200, "text/plain; version=0.0.4; charset=utf-8",
                ctx.metrics().scrape().getBytes(java.nio.charset.StandardCharsets.UTF_8), Map.of()));
        router.add("GET", "/readyz", ex -> {
            Map<String, Object> checks = new LinkedHashMap<>();
            checks.put("database", ctx.db().isReachable());
            checks.put("signing_key", ctx.keys().activeKeyId() != null);
            checks.put("migrations", ctx.db().migrationsCurrent());
            boolean ready = !checks.containsValue(false);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("status", ready ? "ready" : "not_ready");
            body.put("checks", checks);
            ex.sendJson(ready ? 200 : 503, body, Map.of());
        });
    }
}
