package dev.mayfly.server.console;

import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyError;
import dev.mayfly.core.error.MayflyException;
import dev.mayfly.core.policy.TtlDecision;
import dev.mayfly.core.policy.TtlPolicy;
import dev.mayfly.core.secret.OpaqueSecret;
import dev.mayfly.core.secret.RandomIds;
import dev.mayfly.core.secret.SecretKind;
import dev.mayfly.core.token.AccessTokenClaims;
import dev.mayfly.server.audit.AuditEvent;
import dev.mayfly.server.audit.AuditLog;
import dev.mayfly.server.audit.RequestContext;
import dev.mayfly.server.oauth.AccessTokenMinter;
import dev.mayfly.server.store.Agent;
import dev.mayfly.server.store.RefreshToken;
import dev.mayfly.server.store.Session;
import dev.mayfly.server.store.Stores;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * How an admin gets into the console without a new kind of secret: a one-time link, traded once for a console
 * session, which is an ordinary Mayfly session of that admin (in the session store, audited, listed, revocable).
 *
 * <p>A link is itself a session of the admin that lives {@link #LINK_TTL}, and its code is that session's
 * first refresh token: the session store already records it hashed, marks it used exactly once across any
 * number of nodes, and ends with its session. Redeeming it ends the link's session and starts the console's,
 * whose access token the browser holds in an HttpOnly cookie. Admin tokens are critical-tier (minutes), so the
 * page renews its token within the console session's lifetime; renewal needs the current token, unexpired,
 * unrevoked, of a live console session. Thread-safe (stateless besides its collaborators).
 */
public final class ConsoleLogins {
    /** How long a link can be redeemed. */
    public static final Duration LINK_TTL = Duration.ofSeconds(60);
    /** The longest a console session lives (never longer than the policy's session maximum). */
    public static final Duration SESSION_MAX = Duration.ofMinutes(15);
    /**
     * The one scope of a link's session: it marks the session as a link (only such a session's code opens the
     * console) and grants nothing, so the code presented at the token endpoint instead buys no access.
     */
    static final String LINK_SCOPE = "mayfly:console:link";
    static final String LINK_GRANT = "console_link";
    static final String RENEW_GRANT = "console_renew";
    private static final String REAUTH = "mayfly console";

    private final Stores stores;
    private final AccessTokenMinter minter;
    private final TtlPolicy policy;
    private final AuditLog audit;
    private final Clock clock;

    public ConsoleLogins(Stores stores, AccessTokenMinter minter, TtlPolicy policy, AuditLog audit, Clock clock) {
        this.stores = stores;
        this.minter = minter;
        this.policy = policy;
        this.audit = audit;
        this.clock = clock;
    }

    /** A new link: its one-time code (shown once) and until when it may be redeemed. */
    public record Link(OpaqueSecret code, String linkSessionId, Instant expiresAt) {
    }

    /** A console login or renewal: the access token for the cookie and its session. */
    public record Login(AccessTokenMinter.Minted token, Session session) {
    }

    /** Creates a one-time link for the admin {@code caller} (already authorised as {@code mayfly:admin}). */
    public Link createLink(RequestContext origin, AccessTokenClaims caller) {
        Instant now = clock.instant();
        OpaqueSecret code = OpaqueSecret.generate(SecretKind.REFRESH_TOKEN);
        Session link = new Session(RandomIds.next("ses_", 22), caller.subject(), List.of(LINK_SCOPE), now,
                now.plus(LINK_TTL), null, null);
        stores.db().inTransaction(c -> {
            stores.sessions().insert(c, link);
            stores.sessions().insertRefreshToken(c, new RefreshToken(code.hash(), link.sessionId(), 0, now, null));
            audit.append(c, AuditEvent.of(origin, "console.link_created").agent(caller.subject()).session(link.sessionId())
                    .detail("expires_at", link.expiresAt().toString()));
            return null;
        });
        return new Link(code, link.sessionId(), link.expiresAt());
    }

    /**
     * Trades a link's code for a console session: once, within {@link #LINK_TTL}, while the admin is enabled.
     * A code never issued is {@code CREDENTIALS_INVALID}, one used before {@code CREDENTIALS_REVOKED}, one too
     * old {@code CREDENTIALS_EXPIRED}; each says to run {@code mayfly console} for a new link.
     */
    public Login redeem(RequestContext origin, String presented) {
        OpaqueSecret code = OpaqueSecret.parse(presented == null ? "" : presented.trim(), SecretKind.REFRESH_TOKEN)
                .orElseThrow(() -> refused(ErrorCode.CREDENTIALS_INVALID, "This console link is not valid."));
        Instant now = clock.instant();
        return stores.db().inTransaction(c -> {
            RefreshToken t = stores.sessions().refreshTokenByHash(c, code.hash()).orElse(null);
            Session link = t == null ? null : stores.sessions().byId(c, t.sessionId()).orElse(null);
            if (link == null || t.generation() != 0 || !link.scopes().equals(List.of(LINK_SCOPE))) {
                throw refused(ErrorCode.CREDENTIALS_INVALID, "This console link is not valid.");
            }
            if (link.expired(now)) {
                throw new MayflyException(MayflyError.builder(ErrorCode.CREDENTIALS_EXPIRED,
                                "This console link expired at " + link.expiresAt() + "; links work for "
                                        + LINK_TTL.toSeconds() + " s.")
                        .expiredAt(link.expiresAt()).reauthCommand(REAUTH).build());
            }
            if (link.ended() || !stores.sessions().markUsed(c, code.hash(), now)) {
                throw refused(ErrorCode.CREDENTIALS_REVOKED, "This console link was already used; a link works once.");
            }
            Agent admin = enabledAdmin(c, link.agentId());
            stores.sessions().end(c, link.sessionId(), now, "console link used");
            Duration lifetime = SESSION_MAX.compareTo(policy.sessionMax()) < 0 ? SESSION_MAX : policy.sessionMax();
            Session console = new Session(RandomIds.next("ses_", 22), admin.agentId(), List.of(TtlPolicy.ADMIN_SCOPE), now,
                    now.plus(lifetime), null, null);
            stores.sessions().insert(c, console);
            AccessTokenMinter.Minted token = mint(admin, console, now);
            audit.append(c, issued(origin, "session.started", token, console, LINK_GRANT)
                    .detail("link_session_id", link.sessionId())
                    .detail("session_expires_at", console.expiresAt().toString()));
            return new Login(token, console);
        });
    }

    /**
     * A fresh token for the console session {@code current} belongs to: the session must be live and its
     * admin enabled. The caller has verified {@code current} (authentic, unexpired, unrevoked).
     */
    public Login renew(RequestContext origin, AccessTokenClaims current) {
        Instant now = clock.instant();
        return stores.db().inTransaction(c -> {
            Session session = stores.sessions().byId(c, current.sessionId()).orElse(null);
            if (session == null || session.ended()) {
                throw refused(ErrorCode.CREDENTIALS_REVOKED, "This console session has ended.");
            }
            if (session.expired(now)) {
                throw new MayflyException(MayflyError.builder(ErrorCode.CREDENTIALS_EXPIRED,
                                "This console session expired at " + session.expiresAt() + ".")
                        .expiredAt(session.expiresAt()).reauthCommand(REAUTH).build());
            }
            Agent admin = enabledAdmin(c, session.agentId());
            AccessTokenMinter.Minted token = mint(admin, session, now);
            audit.append(c, issued(origin, "token.refreshed", token, session, RENEW_GRANT)
                    .detail("previous_jti", current.jwtId()));
            return new Login(token, session);
        });
    }

    private Agent enabledAdmin(Connection c, String agentId) throws SQLException {
        Optional<Agent> agent = stores.agents().byId(c, agentId);
        if (agent.isEmpty() || agent.get().disabled()) {
            throw new MayflyException(MayflyError.builder(ErrorCode.CREDENTIALS_REVOKED, "This admin is disabled.")
                    .reauthCommand(null).build());
        }
        if (!agent.get().scopes().contains(TtlPolicy.ADMIN_SCOPE)) {
            throw refused(ErrorCode.CREDENTIALS_INVALID, "The console is for agents with " + TtlPolicy.ADMIN_SCOPE + ".");
        }
        return agent.get();
    }

    /** The console's token: the session's scopes, for the broker itself, as long as the policy and the session allow. */
    private AccessTokenMinter.Minted mint(Agent admin, Session session, Instant now) {
        List<String> audience = List.of(minter.issuer());
        TtlDecision decision = policy.decide(session.scopes(), audience, admin.kind(), null,
                Duration.between(now, session.expiresAt()));
        return minter.mint(admin, session.sessionId(), null, session.scopes(), audience, decision, null);
    }

    /** The same record every grant writes for an issued token (see the token endpoint's audit). */
    private static AuditEvent issued(RequestContext origin, String event, AccessTokenMinter.Minted t, Session session, String grant) {
        return AuditEvent.of(origin, event)
                .agent(session.agentId())
                .session(session.sessionId())
                .token(t.jti(), t.scopes(), t.decision().tier().wireName(), t.expiresIn())
                .detail("ttl_bound", t.decision().bound().wireName())
                .detail("expires_at", t.expiresAt().toString())
                .detail("grant", grant);
    }

    private static MayflyException refused(ErrorCode code, String message) {
        return new MayflyException(MayflyError.builder(code, message).reauthCommand(REAUTH).build());
    }
}
