package dev.mayfly.server.audit;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One act to record, before it gets its sequence number and hash. Never holds a raw secret: at most a
 * short hash prefix (see {@link #secretHint}). Built with {@link #of} from the {@link RequestContext} that caused
 * it; fields left null are not recorded.
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
    /** Who asked: given by the caller, never looked up, since the record may be written on another thread (group commit). */
    final RequestContext origin;

    private AuditEvent(RequestContext origin, String event) {
        this.origin = Objects.requireNonNull(origin, "origin (RequestContext.NONE outside a request)");
        this.event = event;
    }

    /** An event caused by the request {@code origin} ({@link RequestContext#NONE} for work no request caused). */
    public static AuditEvent of(RequestContext origin, String event) {
        return new AuditEvent(origin, event);
    }

    /** The record's {@code actor} object, or null when nobody authenticated. */
    Map<String, Object> actor() {
        return origin.actor() == null ? null : origin.actor().toMap();
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

    /** The agent, session, task and token a credential names (fields it lacks stay as they were). */
    public AuditEvent concerning(Credential c) {
        if (c != null) {
            agentId = c.agentId() != null ? c.agentId() : agentId;
            sessionId = c.sessionId() != null ? c.sessionId() : sessionId;
            taskId = c.taskId() != null ? c.taskId() : taskId;
            jti = c.jti() != null ? c.jti() : jti;
        }
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
