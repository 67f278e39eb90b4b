package dev.mayfly.server.oauth;

import dev.mayfly.core.policy.TtlDecision;
import dev.mayfly.core.policy.TtlPolicy;
import dev.mayfly.core.secret.OpaqueSecret;
import dev.mayfly.core.secret.RandomIds;
import dev.mayfly.core.token.Scopes;
import dev.mayfly.server.audit.AuditEvent;
import dev.mayfly.server.audit.AuditLog;
import dev.mayfly.server.audit.RequestContext;
import dev.mayfly.server.http.HttpExchange;
import dev.mayfly.server.store.Agent;
import dev.mayfly.server.store.GroupCommit;
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
 * {@code client_credentials} (RFC 6749 §4.4): an agent logs in and gets a session, that is an access token
 * audienced to the broker (or to the RFC 8707 {@code resource} it names, see {@link ResourceIndicators}) and the
 * first refresh token of a new family. Scope may be omitted (then: all the agent's scopes) and may only narrow them.
 */
final class ClientCredentialsGrant implements Grant {
    private final ClientAuthenticator clients;
    private final GroupCommit commits;
    private final SessionStore sessions;
    private final AccessTokenMinter minter;
    private final TtlPolicy policy;
    private final Clock clock;
    private final AuditLog audit;
    private final TokenEndpointProofs dpop;

    ClientCredentialsGrant(ClientAuthenticator clients, Stores stores, Issuance issuance, AuditLog audit,
                           TokenEndpointProofs dpop) {
        this.dpop = dpop;
        this.clients = clients;
        this.commits = stores.commits();
        this.sessions = stores.sessions();
        this.minter = issuance.minter();
        this.policy = issuance.policy();
        this.clock = issuance.clock();
        this.audit = audit;
    }

    @Override
    public String type() {
        return "client_credentials";
    }

    @Override
    public Map<String, Object> grant(HttpExchange ex, FormParams form) {
        // RFC 9449 §5: a proof binds the session to its key. Checked before the client is authenticated: a
        // use_dpop_nonce answer must leave the client's credential unspent, and a platform's workload token (a
        // file, Kubernetes' projected token) is the same token on the retry, whose jti authentication remembers.
        Optional<DpopProof> proof = dpop.check(ex);
        Agent agent = clients.authenticate(ex, form);
        Map<String, Object> attestation = ClientAuthenticator.attestation(ex);
        String jkt = proof.map(DpopProof::keyThumbprint).orElse(null);
        // Taken here, on the request thread: the record is written on the group-commit thread.
        RequestContext origin = ex.context();
        String scopeParam = form.optional("scope");
        List<String> scopes = scopeParam == null ? agent.scopes() : Scopes.parse(scopeParam);
        Grants.requireSubset(agent.scopes(), scopes, "agent " + agent.name());
        var ttl = form.ttl();
        Instant now = clock.instant();
        Session session = new Session(RandomIds.next("ses_", 22), agent.agentId(), scopes, now,
                now.plus(policy.sessionMax()), null, null, ClientAuthenticator.attestedTier(ex));
        // RFC 8707: a login that names a resource gets a token for that resource (the session is the same).
        List<String> audiences = ResourceIndicators.audiences(form, agent, minter.issuer());
        TtlDecision decision = policy.decide(scopes, audiences, agent.kind(), ttl, policy.sessionMax(), session.attestedTier());
        dpop.requireBinding(decision.tier(), agent.kind(), proof);
        // Signed here, on the request thread; it leaves only once its session is durable.
        AccessTokenMinter.Minted token = minter.mint(agent, session.sessionId(), null, scopes, audiences, decision, null, jkt);
        // Session, refresh token and audit record commit together, in a group commit with other logins (one
        // durable commit per batch instead of per login; each login in its own savepoint).
        OpaqueSecret refresh = commits.run(c -> {
            sessions.insert(c, session);
            OpaqueSecret issued = RefreshTokens.issue(c, sessions, session.sessionId(), 0, now, jkt);
            var event = TokenAudit.issued(origin, "session.started", token, agent, session.sessionId(), null)
                    .detail("grant", type());
            attestation.forEach(event::detail); // a login by assertion: which issuer and subject vouched
            audit.append(c, event
                    .detail("refresh_token", AuditEvent.secretHint(issued.hash()))
                    .detail("session_expires_at", session.expiresAt().toString())
                    .detail("dpop_jkt", jkt));
            return issued;
        });
        return TokenResponses.of(token, refresh.secret().reveal(), session.sessionId(), session.expiresAt(), now);
    }
}
