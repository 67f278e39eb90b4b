package dev.mayfly.server.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.core.json.Json;
import dev.mayfly.server.audit.AuditEvent;
import dev.mayfly.server.audit.RequestContext;
import java.io.IOException;

/**
 * The audit record of a finished delivery: the dispatcher is its actor (no request caused the attempt), and it
 * names the revocation it carried (its sequence number, which leads to the record of the request that revoked,
 * and the agent, session, task or token revoked) read back from the queued payload. Stateless.
 */
final class DeliveryAudit {
    static final RequestContext DISPATCHER = RequestContext.system("webhook-dispatcher");

    private DeliveryAudit() {
    }

    static AuditEvent of(Delivery d, boolean delivered) {
        AuditEvent e = AuditEvent.of(DISPATCHER, delivered ? "webhook.delivered" : "webhook.failed");
        JsonNode data = data(d.payload());
        if (data == null || !data.path("seq").canConvertToLong()) {
            return e;
        }
        e.detail("revocation_seq", data.get("seq").asLong()).agent(text(data, "agent_id"));
        String target = text(data, "target");
        switch (data.path("kind").asText()) {
            case "agent": e.agent(target); break;
            case "session": e.session(target); break;
            case "task": e.task(target); break;
            case "token": e.jti(target); break;
            default: break;
        }
        return e;
    }

    private static JsonNode data(String payload) {
        try {
            return Json.mapper().readTree(payload).get("data");
        } catch (IOException | RuntimeException e) {
            return null; // a payload this build did not write: the record still names the delivery and webhook
        }
    }

    private static String text(JsonNode data, String field) {
        JsonNode v = data.get(field);
        return v == null || !v.isTextual() ? null : v.asText();
    }
}
