package dev.mayfly.server.leak;

import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.revocation.RevocationEvent;
import dev.mayfly.core.secret.OpaqueSecret;
import dev.mayfly.core.secret.Secret;
import dev.mayfly.core.secret.SecretKind;
import dev.mayfly.core.token.AccessTokenClaims;
import dev.mayfly.server.audit.Credential;
import dev.mayfly.server.audit.AuditEvent;
import dev.mayfly.server.audit.AuditLog;
import dev.mayfly.server.audit.RequestContext;
import dev.mayfly.server.store.Agent;
import dev.mayfly.server.store.RefreshToken;
import dev.mayfly.server.revocation.Revoker;
import dev.mayfly.server.store.Stores;
import dev.mayfly.verifier.Decision;
import dev.mayfly.verifier.TokenVerifier;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Revokes leaked Mayfly credentials, whoever reports them: possession of a leaked token is enough, since
 * revoking can only take access away. What goes: a task token's {@code jti}; a session access token's
 * whole session (whoever holds it can mint task tokens); a refresh token's session; a client secret's
 * agent (disabled until an operator acts). Reports are deduplicated by the secret's SHA-256, so a second
 * report of the same leak changes nothing and says so. Every report is audited with where it was found.
 */
public final class LeakReports {
    private final TokenVerifier anyAudience;
    private final Stores stores;
    private final Revoker revoker;
    private final AuditLog audit;
    private final Clock clock;

    /** @param anyAudience recognises a leaked access token whatever its audience */
    public LeakReports(TokenVerifier anyAudience, Stores stores, Revoker revoker, AuditLog audit, Clock clock) {
        this.anyAudience = anyAudience;
        this.stores = stores;
        this.revoker = revoker;
        this.audit = audit;
        this.clock = clock;
    }

    /** One reported secret: the value, and where it was found (free text and URL, both optional). */
    public record Report(String token, String type, String source, String url) {
    }

    /** Handles one report; {@code origin} is the reporting request, for the audit and revocation records. */
    public Map<String, Object> handle(RequestContext origin, Report r) {
        String hash = Secret.sha256Hex(r.token());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("fingerprint", hash.substring(0, 16));
        Optional<String> earlier = stores.db().read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT status FROM leaks WHERE token_hash = ?")) {
                ps.setString(1, hash);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
                }
            }
        });
        if (earlier.isPresent()) {
            out.put("type", r.type());
            out.put("status", "already_reported");
            out.put("first_status", earlier.get());
            return out;
        }
        Outcome o = classify(origin, r.token());
        out.put("type", o.type());
        out.put("status", o.status());
        if (o.dpopBound() != null) {
            // A bound copy is useless without its key, but it says the key may be next: revoked either way.
            out.put("dpop_bound", o.dpopBound());
        }
        if (o.revocation() != null) {
            out.put("revocation", Map.of("seq", o.revocation().seq(), "kind", o.revocation().kind().wireName()));
        }
        stores.db().inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO leaks (token_hash, token_type, status, source, url,"
                    + " reported_at, revocation_seq) VALUES (?,?,?,?,?,?,?)")) {
                ps.setString(1, hash);
                ps.setString(2, o.type());
                ps.setString(3, o.status());
                ps.setString(4, truncate(r.source(), 500));
                ps.setString(5, truncate(r.url(), 2000));
                ps.setLong(6, clock.millis());
                ps.setObject(7, o.revocation() == null ? null : o.revocation().seq());
                ps.executeUpdate();
            }
            audit.append(c, AuditEvent.of(origin, "leak.reported").agent(o.agentId()).session(o.sessionId()).concerning(o.token())
                    .detail("fingerprint", AuditEvent.secretHint(hash)).detail("type", o.type()).detail("status", o.status())
                    .detail("source", truncate(r.source(), 500)).detail("url", truncate(r.url(), 2000))
                    .detail("dpop_bound", o.dpopBound()));
            return null;
        });
        return out;
    }

    /** @param token the leaked access token's agent/session/task/jti, when it was one and authentic */
    /** @param dpopBound whether the leaked token was DPoP-bound (RFC 9449); {@code null} when unknown or not applicable */
    private record Outcome(String type, String status, RevocationEvent revocation, String agentId, String sessionId,
                           Credential token, Boolean dpopBound) {
        Outcome(String type, String status, RevocationEvent revocation, String agentId, String sessionId) {
            this(type, status, revocation, agentId, sessionId, null, null);
        }
    }

    private Outcome classify(RequestContext origin, String token) {
        Optional<OpaqueSecret> opaque = OpaqueSecret.parse(token);
        if (opaque.isPresent()) {
            return opaque(origin, opaque.get());
        }
        if (token.chars().filter(ch -> ch == '.').count() == 2) {
            return accessToken(origin, token);
        }
        return new Outcome("unknown", "not_mayfly", null, null, null);
    }

    private Outcome accessToken(RequestContext origin, String token) {
        Decision d = anyAudience.verifyIgnoringBinding(token, List.of()); // possession is enough to revoke, bound or not
        if (!d.allowed()) {
            ErrorCode code = d.error().code();
            String status = code == ErrorCode.CREDENTIALS_EXPIRED ? "expired"
                    : code == ErrorCode.CREDENTIALS_REVOKED ? "already_revoked" : "not_mayfly";
            return new Outcome("access_token", status, null, null, null);
        }
        AccessTokenClaims c = d.claims();
        RevocationEvent r = c.isTaskToken()
                ? revoker.revokeToken(origin, c.jwtId(), c.expiresAt(), "leaked")
                : revoker.revokeSession(origin, c.sessionId(), "session access token leaked");
        return new Outcome(c.isTaskToken() ? "task_token" : "session_token", "revoked", r, c.subject(), c.sessionId(),
                Credential.of(c), c.isDpopBound());
    }

    private Outcome opaque(RequestContext origin, OpaqueSecret s) {
        if (s.kind() == SecretKind.REFRESH_TOKEN) {
            Optional<RefreshToken> row = stores.db().read(c -> stores.sessions().refreshTokenByHash(c, s.hash()));
            if (row.isEmpty()) {
                return new Outcome("refresh_token", "unknown", null, null, null);
            }
            RevocationEvent r = revoker.revokeSession(origin, row.get().sessionId(), "refresh token leaked");
            return new Outcome("refresh_token", "revoked", r, null, row.get().sessionId(), null,
                    row.get().dpopJkt() != null);
        }
        if (s.kind() == SecretKind.CLIENT_SECRET) {
            Optional<Agent> agent = stores.db().read(c -> stores.agents().bySecretHash(c, s.hash()));
            if (agent.isEmpty()) {
                return new Outcome("client_secret", "unknown", null, null, null);
            }
            if (agent.get().disabled()) {
                return new Outcome("client_secret", "already_revoked", null, agent.get().agentId(), null);
            }
            RevocationEvent r = revoker.revokeAgent(origin, agent.get().agentId(), "client secret leaked");
            return new Outcome("client_secret", "revoked", r, agent.get().agentId(), null);
        }
        // Webhook secrets are kept encrypted, not hashed: they cannot be matched here. Delete and re-create the webhook.
        return new Outcome("webhook_secret", "not_revocable", null, null, null);
    }

    private static String truncate(String s, int max) {
        return s == null ? null : s.length() > max ? s.substring(0, max) : s;
    }
}
