package dev.mayfly.server.oauth;

import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyError;
import dev.mayfly.core.token.Scopes;
import dev.mayfly.server.store.Agent;
import dev.mayfly.server.store.Session;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

/** Checks shared by the grants, each failing with the OAuth code and the catalog error it must carry. */
final class Grants {
    private Grants() {
    }

    /** Requested scopes must be well-formed and a subset of what is allowed; else {@code invalid_scope}. */
    static void requireSubset(Collection<String> allowed, Collection<String> requested, String whose) {
        if (requested.isEmpty()) {
            throw new OAuthException("invalid_scope", MayflyError.of(ErrorCode.USAGE, "At least one scope is required."));
        }
        for (String s : requested) {
            if (!Scopes.isValidScopeToken(s)) {
                throw new OAuthException("invalid_scope", MayflyError.of(ErrorCode.USAGE, "Malformed scope in request."));
            }
        }
        List<String> missing = Scopes.missing(allowed, requested);
        if (!missing.isEmpty()) {
            throw new OAuthException("invalid_scope", MayflyError.builder(ErrorCode.PERMISSION_DENIED,
                            "Scope " + String.join(" ", missing) + " is not granted to " + whose + ".")
                    .requiredScope(Scopes.join(requested))
                    .missingScopes(missing)
                    .reauthCommand(null)
                    .build());
        }
    }

    /** The agent must be enabled and the session live; otherwise the grant fails permanently or for re-login. */
    static void requireLive(Agent agent, Session session, Instant now) {
        if (agent.disabled()) {
            throw new OAuthException("invalid_grant", MayflyError.builder(ErrorCode.CREDENTIALS_REVOKED,
                            "Agent " + agent.name() + " is disabled.")
                    .reauthCommand(null)
                    .detail("revoked", "agent")
                    .build());
        }
        if (session.ended()) {
            throw new OAuthException("invalid_grant", MayflyError.builder(ErrorCode.CREDENTIALS_REVOKED,
                            "Session " + session.sessionId() + " was revoked (" + session.endReason() + "); log in again.")
                    .reauthCommand("mayfly auth login")
                    .detail("revoked", "session")
                    .build());
        }
        if (session.expired(now)) {
            throw new OAuthException("invalid_grant", MayflyError.builder(ErrorCode.CREDENTIALS_EXPIRED,
                            "Session expired at " + session.expiresAt().truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + "; log in again.")
                    .expiredAt(session.expiresAt())
                    .reauthCommand("mayfly auth login")
                    .build());
        }
    }
}
