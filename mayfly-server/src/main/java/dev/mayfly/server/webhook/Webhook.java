package dev.mayfly.server.webhook;

import dev.mayfly.server.http.ClientText;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A registered webhook: where events go and which ones. Its secret is not part of this value. */
public record Webhook(String webhookId, String url, List<String> events, Instant createdAt) {
    public Webhook {
        events = List.copyOf(events);
    }

    public boolean wants(String eventType) {
        return events.contains(eventType) || events.contains("*");
    }

    public Map<String, Object> toView() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("webhook_id", webhookId);
        // New URLs cannot hold a credential (Webhooks refuses them); one registered before that rule is listed masked.
        m.put("url", ClientText.redactedUrl(url, Integer.MAX_VALUE));
        m.put("events", events);
        m.put("created_at", createdAt.toString());
        return m;
    }
}
