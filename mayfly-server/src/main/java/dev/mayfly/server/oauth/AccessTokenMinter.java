package dev.mayfly.server.oauth;

import dev.mayfly.core.policy.TtlDecision;
import dev.mayfly.core.secret.RandomIds;
import dev.mayfly.core.token.Scopes;
import dev.mayfly.server.Jitter;
import dev.mayfly.server.crypto.SigningKeyRing;
import dev.mayfly.server.store.Agent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Mints RFC 9068 access tokens and decides when the holder should refresh: at a jittered 60–80% of the
 * lifetime, so a fleet of agents started together does not refresh in lockstep.
 */
public final class AccessTokenMinter {
    private final SigningKeyRing keys;
    private final String issuer;
    private final Clock clock;
    private final Jitter jitter;

    public AccessTokenMinter(SigningKeyRing keys, String issuer, Clock clock, Jitter jitter) {
        this.keys = keys;
        this.issuer = issuer;
        this.clock = clock;
        this.jitter = jitter;
    }

    /**
     * A signed token and what the token response says about it; {@code dpopJkt} is the thumbprint of the DPoP key
     * it is bound to ({@code cnf.jkt}), or {@code null} for a bearer token.
     */
    public record Minted(String token, String jti, Instant issuedAt, Instant expiresAt, long expiresIn,
                         long refreshAfter, TtlDecision decision, List<String> scopes, List<String> audiences,
                         String dpopJkt) {
        public boolean dpopBound() {
            return dpopJkt != null;
        }
    }

    public Minted mint(Agent agent, String sessionId, String taskId, List<String> scopes, List<String> audiences,
                       TtlDecision decision, Map<String, Object> actor) {
        return mint(agent, sessionId, taskId, scopes, audiences, decision, actor, null);
    }

    /** As above, bound (RFC 9449 §6.1 {@code cnf.jkt}) to the DPoP key with thumbprint {@code dpopJkt}, unless null. */
    public Minted mint(Agent agent, String sessionId, String taskId, List<String> scopes, List<String> audiences,
                       TtlDecision decision, Map<String, Object> actor, String dpopJkt) {
        // JWT times are whole seconds; truncate now so exp - iat is exactly the granted TTL.
        Instant now = Instant.ofEpochSecond(clock.instant().getEpochSecond());
        long ttlSeconds = Math.max(1, decision.ttl().getSeconds());
        Instant exp = now.plusSeconds(ttlSeconds);
        String jti = RandomIds.next("", 22);
        byte[] claims = AccessTokenClaimsJson.write(issuer, agent.agentId(), audiences, exp.getEpochSecond(),
                now.getEpochSecond(), jti, agent.clientId(), Scopes.join(scopes), sessionId, decision.tier().wireName(),
                taskId, actor, dpopJkt);
        return new Minted(keys.signPayload(claims), jti, now, exp, ttlSeconds, refreshAfter(ttlSeconds),
                decision, scopes, audiences, dpopJkt);
    }

    /** Seconds after issue at which the holder should refresh: 60% of the lifetime plus up to 20% jitter. */
    long refreshAfter(long ttlSeconds) {
        double fraction = 0.6 + 0.2 * jitter.next();
        return Math.max(1, (long) Math.floor(ttlSeconds * fraction));
    }

    public String issuer() {
        return issuer;
    }

    /** The keys it signs with: the ones the JWKS endpoint publishes. */
    SigningKeyRing keys() {
        return keys;
    }

    static Duration remaining(Instant now, Instant until) {
        Duration d = Duration.between(now, until);
        return d.isNegative() ? Duration.ZERO : d;
    }
}
