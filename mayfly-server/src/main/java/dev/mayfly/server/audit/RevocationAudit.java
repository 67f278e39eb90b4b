package dev.mayfly.server.audit;

import dev.mayfly.core.revocation.Revocation;
import dev.mayfly.core.revocation.RevocationEvent;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * The audit records of a revocation, written in its transaction: the revocation, and for an agent its disabling.
 * Each names what the revocation covers: the agent it belongs to, and the session, task or token; a token
 * revoked by bare {@code jti} is looked up in the trail for its session and task.
 */
public final class RevocationAudit {
    private static final IssuedTokens ISSUED = new IssuedTokens();

    private RevocationAudit() {
    }

    public static void record(AuditLog audit, Connection c, RevocationEvent r, RequestContext origin) throws SQLException {
        AuditEvent e = AuditEvent.of(origin, "revocation.created")
                .agent(r.agentId())
                .detail("revocation_seq", r.seq())
                .detail("kind", r.kind().wireName())
                .detail("reason", r.reason())
                .detail("covers_until", r.coversUntil().toString());
        switch (r.kind()) {
            case AGENT: e.agent(r.target()); break;
            case SESSION: e.session(r.target()); break;
            case TASK: e.task(r.target()); break;
            default:
                e.jti(r.target());
                var token = ISSUED.byJti(c, r.target());
                if (token.isPresent()) {
                    e.agent(token.get().agentId()).session(token.get().sessionId()).task(token.get().taskId());
                }
                break;
        }
        audit.append(c, e);
        if (r.kind() == Revocation.Granularity.AGENT) {
            audit.append(c, AuditEvent.of(origin, "agent.disabled").agent(r.target()).detail("reason", r.reason()));
        }
    }
}
