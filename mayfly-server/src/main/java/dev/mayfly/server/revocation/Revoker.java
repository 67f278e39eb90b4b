package dev.mayfly.server.revocation;

import dev.mayfly.core.policy.TtlPolicy;
import dev.mayfly.core.revocation.RevocationEvent;
import dev.mayfly.server.audit.IssuedTokens;
import dev.mayfly.server.audit.RequestContext;
import dev.mayfly.server.store.Database;
import dev.mayfly.server.store.Dialect;
import dev.mayfly.server.store.RevocationStore;
import dev.mayfly.server.store.Session;
import dev.mayfly.server.store.SessionStore;
import dev.mayfly.server.store.AgentStore;
import dev.mayfly.core.revocation.Revocation;
import dev.mayfly.core.revocation.RevocationSet;
import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Revokes at every granularity. A revocation is committed to the database (with its cascade: ending the
 * session, disabling the agent) before it is applied to the in-memory set and before the caller is
 * answered, so an acknowledged revocation is never lost.
 */
public final class Revoker {
    private final Database db;
    private final RevocationStore revocations;
    private final SessionStore sessions;
    private final AgentStore agents;
    private final RevocationSet set;
    private final TtlPolicy policy;
    private final Clock clock;
    private final RevocationFeed feed;
    private final RevocationOutbox outbox;
    private final IssuedTokens issued = new IssuedTokens();

    public Revoker(Database db, RevocationStore revocations, SessionStore sessions, AgentStore agents,
                   RevocationSet set, RevocationFeed feed, RevocationOutbox outbox, TtlPolicy policy, Clock clock) {
        this.feed = feed;
        this.outbox = outbox;
        this.db = db;
        this.revocations = revocations;
        this.sessions = sessions;
        this.agents = agents;
        this.set = set;
        this.policy = policy;
        this.clock = clock;
    }

    /**
     * Revokes one access token; {@code tokenExpiresAt} bounds the entry (null when unknown: then the expiry its
     * issuance record names, else the longest a token may live). The revocation names the token's agent when
     * the audit trail knows it.
     */
    public RevocationEvent revokeToken(RequestContext origin, String jti, Instant tokenExpiresAt, String reason) {
        Instant now = clock.instant();
        return commit(c -> {
            Optional<IssuedTokens.IssuedToken> token = issued.byJti(c, jti);
            Instant expires = tokenExpiresAt != null ? tokenExpiresAt
                    : token.map(IssuedTokens.IssuedToken::expiresAt).orElse(now.plus(policy.longestTokenTtl()));
            String agentId = token.map(IssuedTokens.IssuedToken::agentId).orElse(null);
            return List.of(append(origin, c, Revocation.Granularity.TOKEN, jti, agentId, reason, now, expires.plus(policy.leeway())));
        }).get(0);
    }

    /** Ends a session and revokes every token derived from it (session tokens and task tokens alike). */
    public RevocationEvent revokeSession(RequestContext origin, String sessionId, String reason) {
        return commit(c -> List.of(revokeSession(origin, c, sessionId, reason))).get(0);
    }

    /**
     * Revokes an agent's task for good: its tokens now and any token for the same task later. Task ids are the
     * agent's own choosing, so the revocation is scoped to {@code agentId}: another agent's task of the same id
     * is untouched.
     */
    public RevocationEvent revokeTask(RequestContext origin, String agentId, String taskId, String reason) {
        Instant now = clock.instant();
        return commit(c -> List.of(append(origin, c, Revocation.Granularity.TASK, taskId, agentId, reason, now, maxUntil(now)))).get(0);
    }

    /**
     * Disables an agent, ends all its sessions and revokes everything it holds. Used where the agent must go
     * whatever follows (its client secret leaked); an operator's disable goes through
     * {@link #disableAgentKeepingAnAdmin}.
     */
    public RevocationEvent revokeAgent(RequestContext origin, String agentId, String reason) {
        return revokeAgent(origin, agentId, reason, false);
    }

    /**
     * As {@link #revokeAgent(RequestContext, String, String)}, but refused ({@code CONFLICT}, nothing changed) when
     * it would leave no enabled agent holding {@code mayfly:admin}: no API call re-enables an agent, so the last
     * admin disabling itself (or the other last admin) would leave nobody able to manage the broker. The check
     * runs in the revocation's transaction after the revocation-log lock, so two operators disabling the last
     * two admins at once cannot both pass it.
     */
    public RevocationEvent disableAgentKeepingAnAdmin(RequestContext origin, String agentId, String reason) {
        return revokeAgent(origin, agentId, reason, true);
    }

    private RevocationEvent revokeAgent(RequestContext origin, String agentId, String reason, boolean keepAnAdmin) {
        Instant now = clock.instant();
        return commit(c -> {
            if (keepAnAdmin) {
                db.dialect().lock(c, Dialect.Lock.REVOCATION_LOG);
            }
            boolean wasAdmin = keepAnAdmin && agents.byId(c, agentId)
                    .map(a -> a.disabledAt() == null && a.scopes().contains(TtlPolicy.ADMIN_SCOPE)).orElse(false);
            agents.disable(c, agentId, now);
            if (wasAdmin && agents.enabledWithScope(c, TtlPolicy.ADMIN_SCOPE) == 0) {
                throw new MayflyException(ErrorCode.CONFLICT, "Agent " + agentId + " is the last enabled admin:"
                        + " disabling it would leave no one able to manage the broker. Register another admin first"
                        + " (mayfly agent create NAME --scope " + TtlPolicy.ADMIN_SCOPE + "), then disable this one.");
            }
            sessions.endAllOfAgent(c, agentId, now, reason == null ? "agent revoked" : reason);
            return List.of(append(origin, c, Revocation.Granularity.AGENT, agentId, agentId, reason, now, maxUntil(now)));
        }).get(0);
    }

    /**
     * The session part of {@link #revokeSession(RequestContext, String, String)}, inside the caller's transaction. The
     * caller must hand the returned record to {@link #apply} after its commit.
     */
    public RevocationEvent revokeSession(RequestContext origin, Connection c, String sessionId, String reason) throws SQLException {
        Instant now = clock.instant();
        Optional<Session> session = sessions.byId(c, sessionId);
        sessions.end(c, sessionId, now, reason == null ? "revoked" : reason);
        Instant until = session.map(Session::expiresAt).orElse(now.plus(policy.sessionMax())).plus(policy.leeway());
        return append(origin, c, Revocation.Granularity.SESSION, sessionId, session.map(Session::agentId).orElse(null), reason, now, until);
    }

    /** Makes a committed revocation effective in this process and wakes the stream subscribers. */
    public void apply(RevocationEvent record) {
        set.add(record);
        feed.published(record.seq());
    }

    private RevocationEvent append(RequestContext origin, Connection c, Revocation.Granularity kind, String target,
                                   String agentId, String reason, Instant at, Instant until) throws SQLException {
        // Sequence numbers must become visible in order (a stream reader resumes after the last it saw), and
        // this lock is taken before the audit chain's by every writer, so the two never deadlock.
        db.dialect().lock(c, Dialect.Lock.REVOCATION_LOG);
        RevocationEvent r = revocations.append(c, kind, target, agentId, reason, at, until);
        outbox.recorded(c, r, origin);
        db.dialect().notifyRevocation(c, r.seq());
        return r;
    }

    private Instant maxUntil(Instant now) {
        return now.plus(policy.sessionMax()).plus(policy.leeway());
    }

    private List<RevocationEvent> commit(Database.SqlWork<List<RevocationEvent>> work) {
        List<RevocationEvent> done = new ArrayList<>(db.inTransaction(work));
        done.forEach(this::apply);
        return done;
    }
}
