package dev.mayfly.server.oauth;

import dev.mayfly.server.audit.AuditEvent;
import dev.mayfly.server.audit.RequestContext;
import dev.mayfly.server.store.Agent;

/** The audit record of an issued access token: who, which session and task, what it may do, how long. */
final class TokenAudit {
    private TokenAudit() {
    }

    static AuditEvent issued(RequestContext origin, String event, AccessTokenMinter.Minted t, Agent agent, String sessionId, String taskId) {
        return AuditEvent.of(origin, event)
                .agent(agent.agentId())
                .session(sessionId)
                .task(taskId)
                .token(t.jti(), t.scopes(), t.decision().tier().wireName(), t.expiresIn())
                .detail("ttl_bound", t.decision().bound().wireName())
                .detail("expires_at", t.expiresAt().toString());
    }
}
