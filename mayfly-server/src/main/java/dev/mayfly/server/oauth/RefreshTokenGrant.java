package dev.mayfly.server.oauth;

import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyError;
import dev.mayfly.core.policy.TtlDecision;
import dev.mayfly.core.policy.TtlPolicy;
import dev.mayfly.core.revocation.RevocationEvent;
import dev.mayfly.core.secret.OpaqueSecret;
import dev.mayfly.core.secret.SecretKind;
import dev.mayfly.core.token.Scopes;
import dev.mayfly.server.audit.AuditEvent;
import dev.mayfly.server.audit.AuditLog;
import dev.mayfly.server.audit.Actor;
import dev.mayfly.server.audit.RequestContext;
import dev.mayfly.server.http.HttpExchange;
import dev.mayfly.server.revocation.Revoker;
import dev.mayfly.server.store.Agent;
import dev.mayfly.server.store.AgentStore;
import dev.mayfly.server.store.Database;
import dev.mayfly.server.store.RefreshToken;
import dev.mayfly.server.store.Session;
import dev.mayfly.server.store.SessionStore;
import dev.mayfly.server.store.Stores;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import dev.mayfly.server.oauth.dpop.TokenEndpointProofs;
import dev.mayfly.verifier.DpopProof;

/**
 * {@code refresh_token} (RFC 6749 §6) with rotation on every use. Presenting a refresh token that was
 * already rotated is reuse (OAuth 2.1 / the Security BCP §4.14): someone else holds a copy, so the whole
 * session is revoked, the legitimate holder's current tokens included. Of two simultaneous presentations
 * of one token exactly one rotates it (a conditional update).
 *
 * <p>Reuse grace: the immediate predecessor of the live token, presented again within the policy's
 * {@code refresh_reuse_grace} (default 10 s, at most {@value #MAX_GRACE_REPLAYS} times), gets a new access
 * token and the <em>same</em> successor refresh token, since the likeliest cause is an answer lost on the
 * network; older tokens, and anything after the window, are still reuse.
 *
 * <p>Client authentication is optional here: the refresh token is bound to its client and rotates, as for
 * public clients; when credentials are sent they must be the token's client's.
 *
 * <p>DPoP (RFC 9449 §5): a refresh token issued against a proof is bound to that proof's key, and so are its
 * successors; presenting it needs a proof signed by the same key, checked before anything else happens to the
 * token (a thief without the key neither rotates it nor trips reuse detection). The access token issued is bound
 * to the proof's key whenever a proof is sent.
 */
final class RefreshTokenGrant implements Grant {
    /** A retry may itself be lost; a few are a client's bad luck, more are someone else minting tokens. */
    static final int MAX_GRACE_REPLAYS = 3;

    private final ClientAuthenticator clients;
    private final Database db;
    private final SessionStore sessions;
    private final AgentStore agents;
    private final Revoker revoker;
    private final AccessTokenMinter minter;
    private final TtlPolicy policy;
    private final Clock clock;
    private final AuditLog audit;
    private final RefreshTokenSuccessors successors;
    private final TokenEndpointProofs dpop;

    RefreshTokenGrant(ClientAuthenticator clients, Stores stores, Revoker revoker, Issuance issuance, AuditLog audit,
                      RefreshTokenSuccessors successors, TokenEndpointProofs dpop) {
        this.successors = successors;
        this.dpop = dpop;
        this.clients = clients;
        this.db = stores.db();
        this.sessions = stores.sessions();
        this.agents = stores.agents();
        this.revoker = revoker;
        this.minter = issuance.minter();
        this.policy = issuance.policy();
        this.clock = issuance.clock();
        this.audit = audit;
    }

    @Override
    public String type() {
        return "refresh_token";
    }

    /** What one rotation attempt found: the rotated state, or the reuse that revoked the session. */
    private record Outcome(Agent agent, Session session, AccessTokenMinter.Minted token, OpaqueSecret next,
                           RevocationEvent reuse) {
    }

    @Override
    public Map<String, Object> grant(HttpExchange ex, FormParams form) {
        Optional<Agent> client = clients.authenticateIfPresent(ex, form);
        Optional<DpopProof> proof = dpop.check(ex);
        String jkt = proof.map(DpopProof::keyThumbprint).orElse(null);
        String presented = form.required("refresh_token");
        OpaqueSecret token = OpaqueSecret.parse(presented, SecretKind.REFRESH_TOKEN)
                .orElseThrow(() -> invalid("The refresh token is malformed or its checksum is wrong."));
        String scopeParam = form.optional("scope");
        var ttl = form.ttl();
        Instant now = clock.instant();

        Outcome outcome = db.inTransaction(c -> {
            RefreshToken row = sessions.refreshTokenByHash(c, token.hash())
                    .orElseThrow(() -> invalid("Unknown refresh token."));
            Session session = sessions.byId(c, row.sessionId()).orElseThrow(() -> invalid("Unknown refresh token."));
            Agent agent = agents.byId(c, session.agentId()).orElseThrow(() -> invalid("Unknown refresh token."));
            // The token names its holder: every refusal below (wrong client, dead session, reuse) is audited as theirs.
            ex.authenticated(new Actor(agent.agentId(), session.sessionId(), null));
            RequestContext origin = ex.context();
            if (client.isPresent() && !client.get().agentId().equals(agent.agentId())) {
                throw invalid("The refresh token was not issued to this client.");
            }
            TokenEndpointProofs.requireSameKey(row.dpopJkt(), proof, "refresh token");
            Grants.requireLive(agent, session, now);
            OpaqueSecret next = successors.successorOf(token, session.sessionId(), row.generation() + 1);
            // A token this presentation did not rotate (used before, or by a concurrent presentation that won
            // the conditional update) is either a retry within the grace or reuse.
            boolean rotated = !row.used() && sessions.markUsed(c, row.tokenHash(), now);
            boolean replay = !rotated && withinGrace(c, row, next, now);
            if (!rotated && !replay) {
                RevocationEvent revoked = revoker.revokeSession(origin, c, session.sessionId(), "refresh token reuse");
                audit.append(c, AuditEvent.of(origin, "refresh_token.reused").denied(ErrorCode.CREDENTIALS_REVOKED.name())
                        .agent(agent.agentId()).session(session.sessionId())
                        .detail("refresh_token", AuditEvent.secretHint(row.tokenHash()))
                        .detail("generation", row.generation()));
                return new Outcome(agent, session, null, null, revoked);
            }
            // Checked before commit, so a bad scope leaves the presented token unrotated and usable.
            List<String> scopes = scopeParam == null ? session.scopes() : Scopes.parse(scopeParam);
            Grants.requireSubset(session.scopes(), scopes, "session " + session.sessionId());
            List<String> audiences = ResourceIndicators.audiences(form, agent, minter.issuer()); // RFC 8707
            TtlDecision decision = policy.decide(scopes, audiences, agent.kind(), ttl,
                    AccessTokenMinter.remaining(now, session.expiresAt()), session.attestedTier());
            dpop.requireBinding(decision.tier(), agent.kind(), proof);
            if (!replay) {
                // The successor keeps the family's binding (none stays none).
                RefreshTokens.issue(c, sessions, next, session.sessionId(), row.generation() + 1, now, row.dpopJkt());
            }
            AccessTokenMinter.Minted minted = minter.mint(agent, session.sessionId(), null, scopes, audiences, decision,
                    null, jkt);
            audit.append(c, TokenAudit.issued(origin, "token.refreshed", minted, agent, session.sessionId(), null)
                    .detail("refresh_token", AuditEvent.secretHint(next.hash()))
                    .detail("generation", row.generation() + 1)
                    .detail("grace_replay", replay ? Boolean.TRUE : null)
                    .detail("dpop_jkt", jkt));
            return new Outcome(agent, session, minted, next, null);
        });
        if (outcome.reuse() != null) {
            revoker.apply(outcome.reuse());
            throw new OAuthException("invalid_grant", MayflyError.builder(ErrorCode.CREDENTIALS_REVOKED,
                            "This refresh token was already used; as a precaution session "
                                    + outcome.session().sessionId() + " has been revoked (refresh-token reuse). Log in again.")
                    .reauthCommand("mayfly auth login")
                    .detail("revoked", "session")
                    .detail("reason", "refresh token reuse")
                    .build());
        }
        Session session = outcome.session();
        return TokenResponses.of(outcome.token(), outcome.next().secret().reveal(), session.sessionId(),
                session.expiresAt(), now);
    }

    /**
     * Whether a rotated token presented again is a retry within the reuse grace (its answer was lost): the
     * same successor is returned, so the family does not fork. Decided in the database (see
     * {@link SessionStore#replayWithinGrace}); anything else is reuse.
     */
    private boolean withinGrace(java.sql.Connection c, RefreshToken row, OpaqueSecret next, Instant now)
            throws java.sql.SQLException {
        java.time.Duration grace = policy.refreshReuseGrace();
        return !grace.isZero() && sessions.replayWithinGrace(c, row.tokenHash(), next.hash(), row.sessionId(),
                row.generation() + 1, now.minus(grace), MAX_GRACE_REPLAYS);
    }

    private static OAuthException invalid(String message) {
        return new OAuthException("invalid_grant", MayflyError.builder(ErrorCode.CREDENTIALS_INVALID, message)
                .reauthCommand("mayfly auth login")
                .build());
    }
}
