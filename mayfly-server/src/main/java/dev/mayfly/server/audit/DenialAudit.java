package dev.mayfly.server.audit;

import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyError;
import dev.mayfly.server.http.HttpExchange;
import dev.mayfly.server.http.RequestListener;

/**
 * Records every request refused for an auth reason (the five auth codes and rate limiting) as {@code request.denied},
 * with the request's id and address, its actor when it authenticated, and the agent/session/task/jti of the
 * credential it presented when that much is known.
 */
public final class DenialAudit implements RequestListener {
    private final AuditLog audit;

    public DenialAudit(AuditLog audit) {
        this.audit = audit;
    }

    @Override
    public void finished(HttpExchange ex, MayflyError failure) {
        if (failure == null || !(failure.code().isAuth() || failure.code() == ErrorCode.RATE_LIMITED)) {
            return;
        }
        RequestContext origin = ex.context();
        AuditEvent e = AuditEvent.of(origin, "request.denied").denied(failure.code().name());
        // Attributed to the caller when it proved who it is before being refused (a valid token lacking scope, say),
        // and naming the credential it presented when that was authentic but refused (expired, revoked), or the
        // agent whose client id it gave.
        Actor actor = origin.actor();
        if (actor != null) {
            e.agent(actor.agentId()).session(actor.sessionId()).task(actor.taskId());
        }
        e.concerning(ex.presented());
        audit.append(e
                .detail("method", ex.method())
                .detail("route", ex.route())
                .detail("missing_scopes", failure.missingScopes()));
    }
}
