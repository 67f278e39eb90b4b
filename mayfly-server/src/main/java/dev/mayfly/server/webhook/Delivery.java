package dev.mayfly.server.webhook;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One event queued for one webhook, with its attempts so far. */
public record Delivery(long deliveryId, String webhookId, String eventType, String payload, String status, int attempts,
                       Instant nextAttemptAt, Instant createdAt, Instant deliveredAt, List<Attempt> history) {
    public static final String PENDING = "pending";
    public static final String DELIVERED = "delivered";
    public static final String FAILED = "failed";

    /** One try: the HTTP status (or null when none came back), the error, how long it took. */
    public record Attempt(int attempt, Instant at, Integer statusCode, String error, long durationMs) {
        Map<String, Object> toView() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("attempt", attempt);
            m.put("at", at.toString());
            m.put("status_code", statusCode);
            m.put("error", error);
            m.put("duration_ms", durationMs);
            return m;
        }
    }

    public Map<String, Object> toView() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("delivery_id", deliveryId);
        m.put("webhook_id", webhookId);
        m.put("event_type", eventType);
        m.put("status", status);
        m.put("attempts", attempts);
        m.put("next_attempt_at", PENDING.equals(status) ? nextAttemptAt.toString() : null);
        m.put("created_at", createdAt.toString());
        m.put("delivered_at", deliveredAt == null ? null : deliveredAt.toString());
        m.put("history", history.stream().map(Attempt::toView).toList());
        return m;
    }
}
