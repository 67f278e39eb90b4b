package dev.mayfly.server.audit;

import dev.mayfly.core.token.AccessTokenClaims;

/**
 * Whose credential a request presented, as far as it proved authentic: the agent, and for an access token its
 * session, task and {@code jti}. Unlike the {@link Actor} it is known also for a request then refused (a token
 * authentic but expired or revoked, a client id whose secret was wrong), so the refusal's audit record names
 * what was refused. Never holds the credential itself.
 */
public record Credential(String agentId, String sessionId, String taskId, String jti) {

    /** An authentic access token's identifiers. */
    public static Credential of(AccessTokenClaims claims) {
        return new Credential(claims.subject(), claims.sessionId(), claims.taskId(), claims.jwtId());
    }

    /** A client id that names this agent (its secret right or wrong). */
    public static Credential agent(String agentId) {
        return new Credential(agentId, null, null, null);
    }
}
