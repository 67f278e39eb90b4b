package dev.mayfly.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyException;
import dev.mayfly.core.policy.TtlPolicy;
import dev.mayfly.server.http.Envelopes;
import dev.mayfly.server.http.HttpExchange;
import dev.mayfly.server.http.Router;
import dev.mayfly.server.webhook.Delivery;
import dev.mayfly.server.webhook.Webhooks;
import dev.mayfly.verifier.TokenVerifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /v1/webhooks} (admin): register a URL for event types (the signing secret {@code mfy_wh_...} is
 * shown once), list, show, delete, and list a webhook's deliveries with every attempt.
 */
final class WebhooksApi {
    private static final List<String> ADMIN = List.of(TtlPolicy.ADMIN_SCOPE);

    private final TokenVerifier verifier;
    private final Webhooks webhooks;

    WebhooksApi(TokenVerifier verifier, Webhooks webhooks) {
        this.verifier = verifier;
        this.webhooks = webhooks;
    }

    void install(Router router) {
        router.add("POST", "/v1/webhooks", this::create)
                .add("GET", "/v1/webhooks", this::list)
                .add("GET", "/v1/webhooks/{id}", this::show)
                .add("DELETE", "/v1/webhooks/{id}", this::delete)
                .add("GET", "/v1/webhooks/{id}/deliveries", this::deliveries);
    }

    private Webhooks webhooks(HttpExchange ex) {
        V1Auth.require(ex, verifier, ADMIN);
        return webhooks;
    }

    private void create(HttpExchange ex) {
        Webhooks webhooks = webhooks(ex);
        JsonNode body = ex.json();
        List<String> events = new ArrayList<>();
        if (body.has("events")) {
            if (!body.get("events").isArray()) {
                throw new MayflyException(ErrorCode.USAGE, "'events' must be an array of event types.");
            }
            body.get("events").forEach(e -> events.add(e.asText()));
        }
        Webhooks.Registration r = webhooks.create(ex.context(), body.path("url").isTextual() ? body.get("url").asText() : null, events);
        Map<String, Object> data = new LinkedHashMap<>(r.webhook().toView());
        data.put("secret", r.secret().secret().reveal());
        Envelopes.ok(ex, 201, data, List.of("The webhook secret is shown only once; store it now."));
    }

    private void list(HttpExchange ex) {
        Webhooks webhooks = webhooks(ex);
        Envelopes.ok(ex, Map.of("webhooks", webhooks.list().stream().map(w -> w.toView()).toList()));
    }

    private void show(HttpExchange ex) {
        Envelopes.ok(ex, webhooks(ex).get(ex.pathParam("id")).toView());
    }

    private void delete(HttpExchange ex) {
        webhooks(ex).delete(ex.context(), ex.pathParam("id"));
        Envelopes.ok(ex, Map.of("webhook_id", ex.pathParam("id"), "deleted", true));
    }

    private void deliveries(HttpExchange ex) {
        Webhooks webhooks = webhooks(ex);
        Map<String, List<String>> q = ex.query();
        long before = q.containsKey("before") ? RevocationsApi.parseLong(q.get("before").get(0), "before") : Long.MAX_VALUE;
        int limit = q.containsKey("limit") ? (int) Math.min(500, Math.max(1, RevocationsApi.parseLong(q.get("limit").get(0), "limit"))) : 100;
        List<Delivery> page = webhooks.deliveries(ex.pathParam("id"), before, limit);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("deliveries", page.stream().map(Delivery::toView).toList());
        data.put("next_before", page.size() == limit ? page.get(page.size() - 1).deliveryId() : null);
        Envelopes.ok(ex, data);
    }
}
