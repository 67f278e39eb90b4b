package dev.mayfly.server.oauth;

import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyError;
import dev.mayfly.core.policy.TtlDecision;
import dev.mayfly.core.policy.TtlPolicy;
import dev.mayfly.core.secret.RandomIds;
import dev.mayfly.core.token.AccessTokenClaims;
import dev.mayfly.core.token.Audiences;
import dev.mayfly.core.token.Scopes;
import dev.mayfly.server.audit.AuditEvent;
import dev.mayfly.server.audit.AuditLog;
import dev.mayfly.server.audit.Actor;
import dev.mayfly.server.audit.Credential;
import dev.mayfly.server.audit.RequestContext;
import dev.mayfly.server.http.ClientText;
import dev.mayfly.server.http.HttpExchange;
import dev.mayfly.server.store.Agent;
import dev.mayfly.server.store.AgentStore;
import dev.mayfly.server.store.Database;
import dev.mayfly.server.store.GroupCommit;
import dev.mayfly.server.store.RevocationStore;
import dev.mayfly.server.store.Session;
import dev.mayfly.server.store.SessionStore;
import dev.mayfly.server.store.Stores;
import dev.mayfly.verifier.Decision;
import dev.mayfly.verifier.TokenVerifier;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import dev.mayfly.server.oauth.dpop.TokenEndpointProofs;
import dev.mayfly.verifier.DpopProof;

/**
 * Token exchange (RFC 8693): the session's access token, presented as {@code subject_token}, buys a task
 * token narrowed to {@code scope} (a subset of the session's), for an {@code audience}/{@code resource}
 * (RFC 8707) the agent is allowed, for one task ({@code task_id}, generated when absent), living at most
 * what the policy allows and never past the session. Without an audience the token is for the broker
 * itself, so it works at {@code /v1}.
 *
 * <p>The subject token is the credential; client authentication is optional and, when present, must be
 * the subject's client.
 *
 * <p>DPoP (RFC 9449): a DPoP-bound subject token is honoured only with a proof signed by its key (it is a
 * credential presented here, so no Bearer downgrade); the task token is bound to the proof's key whenever a
 * proof is sent.
 */
final class TokenExchangeGrant implements Grant {
    static final String TYPE = "urn:ietf:params:oauth:grant-type:token-exchange";
    private static final Set<String> SUBJECT_TYPES =
            Set.of(TokenResponses.ACCESS_TOKEN_TYPE, "urn:ietf:params:oauth:token-type:jwt");
    private static final Pattern TASK_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private final ClientAuthenticator clients;
    private final TokenVerifier sessionTokens;
    private final Database db;
    private final SessionStore sessions;
    private final AgentStore agents;
    private final RevocationStore revocations;
    private final AccessTokenMinter minter;
    private final TtlPolicy policy;
    private final Clock clock;
    private final AuditLog audit;
    private final GroupCommit commits;
    private final TokenEndpointProofs dpop;

    /** @param sessionTokens verifies the subject token: a session token is audienced to the broker */
    TokenExchangeGrant(ClientAuthenticator clients, TokenVerifier sessionTokens, Stores stores, Issuance issuance,
                       AuditLog audit, TokenEndpointProofs dpop) {
        this.dpop = dpop;
        this.clients = clients;
        this.sessionTokens = sessionTokens;
        this.db = stores.db();
        this.commits = stores.commits();
        this.sessions = stores.sessions();
        this.agents = stores.agents();
        this.revocations = stores.revocations();
        this.minter = issuance.minter();
        this.policy = issuance.policy();
        this.clock = issuance.clock();
        this.audit = audit;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Map<String, Object> grant(HttpExchange ex, FormParams form) {
        Optional<Agent> client = clients.authenticateIfPresent(ex, form);
        String subjectToken = form.required("subject_token");
        String subjectType = form.required("subject_token_type");
        if (!SUBJECT_TYPES.contains(subjectType)) {
            throw OAuthErrors.invalidRequest("subject_token_type must be " + TokenResponses.ACCESS_TOKEN_TYPE + ".");
        }
        String requestedType = form.optional("requested_token_type");
        if (requestedType != null && !requestedType.equals(TokenResponses.ACCESS_TOKEN_TYPE)) {
            throw OAuthErrors.invalidRequest("Only access tokens can be requested (" + TokenResponses.ACCESS_TOKEN_TYPE + ").");
        }
        if (form.optional("actor_token") != null) {
            throw OAuthErrors.invalidRequest("actor_token is not supported.");
        }
        var ttl = form.ttl();
        String taskId = form.optional("task_id");
        if (taskId != null && !TASK_ID.matcher(taskId).matches()) {
            throw OAuthErrors.invalidRequest("task_id must be 1-128 characters of A-Z a-z 0-9 . _ : -");
        }
        if (taskId != null && ClientText.holdsSecret(taskId)) { // it goes into the token and the audit trail
            throw OAuthErrors.invalidRequest("task_id looks like a secret; a task id names a task, never a credential.");
        }

        Optional<DpopProof> proof = dpop.check(ex);
        // The binding is checked below, against this request's proof (the subject token is not in a header).
        Decision subject = sessionTokens.verifyIgnoringBinding(subjectToken, List.of());
        subject.authenticClaims().ifPresent(c -> ex.presented(Credential.of(c)));
        if (!subject.allowed()) {
            throw new OAuthException("invalid_grant", subject.error());
        }
        AccessTokenClaims claims = subject.claims();
        ex.authenticated(new Actor(claims.subject(), claims.sessionId(), null));
        TokenEndpointProofs.requireSameKey(claims.boundKey(), proof, "subject_token");
        if (claims.isTaskToken()) {
            throw new OAuthException("invalid_grant", MayflyError.builder(ErrorCode.CREDENTIALS_INVALID,
                            "subject_token must be a session access token, not a task token.")
                    .reauthCommand("mayfly auth refresh")
                    .build());
        }
        if (client.isPresent() && !client.get().agentId().equals(claims.subject())) {
            throw new OAuthException("invalid_grant", MayflyError.builder(ErrorCode.CREDENTIALS_INVALID,
                            "subject_token was not issued to this client.")
                    .reauthCommand("mayfly auth login")
                    .build());
        }
        Instant now = clock.instant();
        String task = taskId != null ? taskId : RandomIds.next("tsk_", 22);
        record Context(Optional<Agent> agent, Optional<Session> session, boolean taskRevoked) {
        }
        Context found = db.read(c -> new Context(agents.byId(c, claims.subject()), sessions.byId(c, claims.sessionId()),
                taskId != null && revocations.taskRevoked(c, claims.subject(), taskId)));
        if (found.agent().isEmpty() || found.session().isEmpty()) {
            // Authentic, yet this broker's database has no such agent or session (restored from an older backup, or
            // another deployment sharing the signing keys): the token cannot be honoured, and it is not a bug.
            throw new OAuthException("invalid_grant", MayflyError.builder(ErrorCode.CREDENTIALS_INVALID,
                            "subject_token names an agent or session this broker does not know.")
                    .reauthCommand("mayfly auth login")
                    .build());
        }
        Agent agent = found.agent().get();
        Session session = found.session().get();
        Grants.requireLive(agent, session, now);
        if (found.taskRevoked()) {
            throw new OAuthException("invalid_grant", MayflyError.builder(ErrorCode.CREDENTIALS_REVOKED,
                            "Task " + taskId + " was revoked; no new tokens are issued for it.")
                    .reauthCommand(null)
                    .detail("revoked", "task")
                    .build());
        }

        List<String> audiences = audiences(form, agent);
        String scopeParam = form.optional("scope");
        List<String> scopes = scopeParam == null ? claims.scopes() : Scopes.parse(scopeParam);
        Grants.requireSubset(claims.scopes(), scopes, "session " + claims.sessionId());

        TtlDecision decision = policy.decide(scopes, audiences, agent.kind(), ttl,
                AccessTokenMinter.remaining(now, session.expiresAt()), session.attestedTier());
        dpop.requireBinding(decision.tier(), agent.kind(), proof);
        String jkt = proof.map(DpopProof::keyThumbprint).orElse(null);
        // The token leaves only after its audit record has committed; records of concurrent exchanges share
        // one commit (the hot path of an agent fleet).
        AccessTokenMinter.Minted minted = minter.mint(agent, claims.sessionId(), task, scopes, audiences, decision, null,
                jkt);
        RequestContext origin = ex.context(); // taken on the request thread; the record commits on the group-commit thread
        AuditEvent record = TokenAudit.issued(origin, "token.exchanged", minted, agent, claims.sessionId(), task)
                .detail("audience", audiences)
                .detail("subject_jti", claims.jwtId())
                .detail("dpop_jkt", jkt);
        commits.run(c -> audit.append(c, record));
        Map<String, Object> body = TokenResponses.of(minted, null, claims.sessionId(), session.expiresAt(), now);
        body.put("issued_token_type", TokenResponses.ACCESS_TOKEN_TYPE);
        body.put("task_id", task);
        body.put("audience", audiences.size() == 1 ? audiences.get(0) : audiences);
        return body;
    }

    /** {@code audience} and {@code resource} values together; each must be the broker or allowed to the agent. */
    private List<String> audiences(FormParams form, Agent agent) {
        return ResourceIndicators.audiences(form, agent, minter.issuer());
    }
}
