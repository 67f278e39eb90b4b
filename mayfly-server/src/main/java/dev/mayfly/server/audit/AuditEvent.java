package dev.mayfly.server.audit;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One act to record, before it gets its sequence number and hash. Never holds a raw secret: at most a
 * short hash prefix (see {@link #secretHint}). Built with {@link #of}; fields left null are not recorded.
 */
public final class AuditEvent {
    String event;
    String outcome = "success";
    String code;
    String agentId;
    String sessionId;
    String taskId;
    String jti;
    List<String> scopes;
    String tier;
    Long ttlSeconds;
    final Map<String, Object> details = new LinkedHashMap<>();
    /** Who asked, captured on the request's thread: the record may be written on another (group commit). */
    final String requestId;
    final String clientAddress;
    final Map<String, Object> actor;

    private AuditEvent(String event) {
        this.event = event;
        RequestContext ctx = RequestContext.current();
        this.requestId = ctx.requestId();
        this.clientAddress = ctx.clientAddress();
        this.actor = ctx.actor();
    }

    public static AuditEvent of(String event) {
        return new AuditEvent(event);
    }

    public AuditEvent denied(String catalogCode) {
        this.outcome = "denied";
        this.code = catalogCode;
        return this;
    }

    public AuditEvent agent(String agentId) {
        this.agentId = agentId;
        return this;
    }

    public AuditEvent session(String sessionId) {
        this.sessionId = sessionId;
        return this;
    }

    public AuditEvent task(String taskId) {
        this.taskId = taskId;
        return this;
    }

    public AuditEvent token(String jti, List<String> scopes, String tier, long ttlSeconds) {
        this.jti = jti;
        this.scopes = scopes;
        this.tier = tier;
        this.ttlSeconds = ttlSeconds;
        return this;
    }

    public AuditEvent jti(String jti) {
        this.jti = jti;
        return this;
    }

    public AuditEvent detail(String key, Object value) {
        if (value != null) {
            details.put(key, value);
        }
        return this;
    }

    /** The first 12 hex characters of a secret's SHA-256: enough to correlate, useless to an attacker. */
    public static String secretHint(String sha256Hex) {
        return sha256Hex == null ? null : sha256Hex.substring(0, Math.min(12, sha256Hex.length()));
    }
}
