package dev.mayfly.server.api;

import dev.mayfly.core.error.MayflyException;
import dev.mayfly.core.token.AccessTokenClaims;
import dev.mayfly.server.http.HttpExchange;
import dev.mayfly.verifier.BearerTokens;
import dev.mayfly.verifier.Decision;
import dev.mayfly.verifier.TokenVerifier;
import java.util.Collection;

/** Authorises a {@code /v1} request with the verifier; a rejection is thrown as its catalog error. */
final class V1Auth {
    private V1Auth() {
    }

    static AccessTokenClaims require(HttpExchange ex, TokenVerifier verifier, Collection<String> scopes) {
        Decision d = verifier.verify(BearerTokens.fromAuthorizationHeader(ex.header("Authorization")), scopes);
        if (!d.allowed()) {
            throw new MayflyException(d.error());
        }
        return d.claims();
    }
}
