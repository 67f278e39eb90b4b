package dev.mayfly.core.token;

import dev.mayfly.core.policy.Tier;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The verified claims of a Mayfly access token (RFC 9068 plus {@code sid}, {@code task}, {@code tier},
 * {@code act}). Immutable.
 *
 * @param sessionId the session ({@code sid}); every Mayfly token belongs to one
 * @param taskId    the task, for per-task tokens; otherwise {@code null}
 * @param actor     the RFC 8693 {@code act} claim, or {@code null}
 * @param boundKey  the RFC 9449 {@code cnf.jkt} (thumbprint of the DPoP key the token is bound to), or
 *                  {@code null} for a bearer token
 */
public record AccessTokenClaims(
        String issuer,
        String subject,
        List<String> audience,
        Instant expiresAt,
        Instant issuedAt,
        Instant notBefore,
        String jwtId,
        String clientId,
        List<String> scopes,
        String sessionId,
        String taskId,
        Tier tier,
        Map<String, Object> actor,
        String boundKey) {

    public AccessTokenClaims {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(subject, "subject");
        audience = List.copyOf(audience);
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(jwtId, "jwtId");
        scopes = List.copyOf(scopes);
        actor = actor == null ? null : Map.copyOf(actor);
    }

    /** A bearer token's claims (no {@code cnf}). */
    public AccessTokenClaims(String issuer, String subject, List<String> audience, Instant expiresAt, Instant issuedAt,
                             Instant notBefore, String jwtId, String clientId, List<String> scopes, String sessionId,
                             String taskId, Tier tier, Map<String, Object> actor) {
        this(issuer, subject, audience, expiresAt, issuedAt, notBefore, jwtId, clientId, scopes, sessionId, taskId, tier,
                actor, null);
    }

    /** Whether the token is sender-constrained (RFC 9449): usable only with a DPoP proof from its key. */
    public boolean isDpopBound() {
        return boundKey != null;
    }

    public boolean isTaskToken() {
        return taskId != null;
    }

    public Duration remaining(Instant now) {
        Duration d = Duration.between(now, expiresAt);
        return d.isNegative() ? Duration.ZERO : d;
    }

    /** The claims as JSON names and values (instants as epoch seconds, as in the token). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(ClaimNames.ISSUER, issuer);
        m.put(ClaimNames.SUBJECT, subject);
        m.put(ClaimNames.AUDIENCE, audience);
        m.put(ClaimNames.EXPIRES, expiresAt.getEpochSecond());
        m.put(ClaimNames.ISSUED_AT, issuedAt == null ? null : issuedAt.getEpochSecond());
        m.put(ClaimNames.NOT_BEFORE, notBefore == null ? null : notBefore.getEpochSecond());
        m.put(ClaimNames.JWT_ID, jwtId);
        m.put(ClaimNames.CLIENT_ID, clientId);
        m.put(ClaimNames.SCOPE, Scopes.join(scopes));
        m.put(ClaimNames.SESSION, sessionId);
        m.put(ClaimNames.TASK, taskId);
        m.put(ClaimNames.TIER, tier == null ? null : tier.wireName());
        if (actor != null) {
            m.put(ClaimNames.ACTOR, actor);
        }
        if (boundKey != null) {
            m.put(ClaimNames.CONFIRMATION, Map.of(ClaimNames.JWK_THUMBPRINT, boundKey));
        }
        return m;
    }
}
