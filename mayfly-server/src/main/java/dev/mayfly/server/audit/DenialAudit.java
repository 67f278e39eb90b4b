package dev.mayfly.server.audit;

import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyError;
import dev.mayfly.server.http.HttpExchange;
import dev.mayfly.server.http.RequestListener;

/** Records every request refused for an auth reason (the five auth codes and rate limiting) as {@code request.denied}. */
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
        // Attributed to the caller when it proved who it is (a valid token lacking scope, say).
        java.util.Map<String, Object> actor = RequestContext.current().actor();
        AuditEvent e = AuditEvent.of("request.denied").denied(failure.code().name());
        if (actor != null) {
            e.agent((String) actor.get("agent_id")).session((String) actor.get("session_id")).task((String) actor.get("task_id"));
        }
        audit.append(e
                .detail("method", ex.method())
                .detail("route", ex.route())
                .detail("missing_scopes", failure.missingScopes()));
    }
}
