package dev.mayfly.server.api;

import dev.mayfly.core.error.MayflyException;
import dev.mayfly.core.token.AccessTokenClaims;
import dev.mayfly.server.audit.RequestContext;
import dev.mayfly.server.http.HttpExchange;
import dev.mayfly.verifier.BearerTokens;
import dev.mayfly.verifier.Decision;
import dev.mayfly.verifier.TokenVerifier;
import java.util.Collection;
import java.util.List;

/** Authorises a {@code /v1} request with the verifier; a rejection is thrown as its catalog error. */
final class V1Auth {
    private V1Auth() {
    }

    static AccessTokenClaims require(HttpExchange ex, TokenVerifier verifier, Collection<String> scopes) {
        String token = BearerTokens.fromAuthorizationHeader(ex.header("Authorization"));
        // Authenticate first, so a denial for missing scope is still attributed to the caller in the audit.
        Decision d = verifier.verify(token, List.of());
        if (d.allowed()) {
            AccessTokenClaims c = d.claims();
            RequestContext.authenticated(c.subject(), c.sessionId(), c.taskId());
            if (!scopes.isEmpty()) {
                d = verifier.verify(token, scopes);
            }
        }
        if (!d.allowed()) {
            throw new MayflyException(d.error());
        }
        return d.claims();
    }
}
