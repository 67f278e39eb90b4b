package dev.mayfly.server.audit;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A stored audit record, as read back (and as exported). */
public record AuditRecord(long seq, Instant at, String event, String outcome, String code, String agentId,
                          String sessionId, String taskId, String jti, List<String> scopes, String tier, Long ttlSeconds,
                          Map<String, Object> actor, String clientAddress, String requestId, Map<String, Object> details,
                          String prevHash, String hash) {

    /** The fields the hash covers, in a fixed order (everything but the hashes themselves). */
    Map<String, Object> canonical() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seq", seq);
        m.put("at", at.toEpochMilli());
        m.put("event", event);
        m.put("outcome", outcome);
        m.put("code", code);
        m.put("agent_id", agentId);
        m.put("session_id", sessionId);
        m.put("task_id", taskId);
        m.put("jti", jti);
        m.put("scopes", scopes);
        m.put("tier", tier);
        m.put("ttl_s", ttlSeconds);
        m.put("actor", actor);
        m.put("client_addr", clientAddress);
        m.put("request_id", requestId);
        m.put("details", details);
        return m;
    }

    public Map<String, Object> toView() {
        Map<String, Object> m = canonical();
        m.put("at", at.toString());
        m.put("prev_hash", prevHash);
        m.put("hash", hash);
        return m;
    }
}
