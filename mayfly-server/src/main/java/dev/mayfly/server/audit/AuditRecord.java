package dev.mayfly.server.audit;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A stored audit record, as read back (and as exported). {@code seq} is the global order (database-generated,
 * for queries and cursors; no hash covers it); {@code nodeId} and {@code nodeSeq} place the record in the chain
 * of the node that wrote it, which is what the hashes link.
 */
public record AuditRecord(long seq, String nodeId, long nodeSeq, Instant at, String event, String outcome, String code,
                          String agentId, String sessionId, String taskId, String jti, List<String> scopes, String tier, Long ttlSeconds,
                          Map<String, Object> actor, String clientAddress, String requestId, Map<String, Object> details,
                          String prevHash, String hash) {

    /**
     * What a keyed record's HMAC covers, in a fixed order: its node and place in that node's chain and every
     * field but the hashes (the global {@code seq} is left out: the database assigns it at insert).
     */
    Map<String, Object> canonicalKeyed() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("node", nodeId);
        m.put("node_seq", nodeSeq);
        return fields(m);
    }

    /** What a legacy record's plain SHA-256 covered (written before V10: its old seq is its {@code nodeSeq}). */
    Map<String, Object> canonicalLegacy() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seq", nodeSeq);
        return fields(m);
    }

    private Map<String, Object> fields(Map<String, Object> m) {
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
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seq", seq);
        m.put("node", nodeId);
        m.put("node_seq", nodeSeq);
        fields(m);
        m.put("at", at.toString());
        m.put("prev_hash", prevHash);
        m.put("hash", hash);
        return m;
    }
}
