package dev.mayfly.server.api;

import dev.mayfly.core.error.MayflyException;
import dev.mayfly.core.token.AccessTokenClaims;
import dev.mayfly.server.audit.Actor;
import dev.mayfly.server.audit.Credential;
import dev.mayfly.server.console.ConsoleAuth;
import dev.mayfly.server.http.HttpExchange;
import dev.mayfly.verifier.Decision;
import dev.mayfly.verifier.TokenVerifier;
import java.util.Collection;
import java.util.List;

/** Authorises a {@code /v1} request with the verifier; a rejection is thrown as its catalog error. */
final class V1Auth {
    private V1Auth() {
    }

    /**
     * The caller's verified claims, once the token is authentic and grants {@code scopes}. The token is
     * verified once, without scopes, and the caller recorded on the exchange before the scopes are checked,
     * so a denial for a missing scope is still attributed to the caller in the audit.
     */
    static AccessTokenClaims require(HttpExchange ex, TokenVerifier verifier, Collection<String> scopes) {
        // Bearer, or DPoP with a proof for this method and URI (RFC 9449 §7.1); a DPoP-bound token sent as Bearer
        // is refused, so a stolen copy is useless here too. Without an Authorization header: the console's cookie
        // (checked for CSRF on writes), verified alike from here on.
        String authorization = ex.header("Authorization");
        Decision d;
        if (authorization != null) {
            List<String> proofs = ex.headers("DPoP");
            d = verifier.verifyRequest(authorization, proofs, ex.method(), ex.dpopTargetUri(proofs), List.of());
        } else {
            d = verifier.verify(ConsoleAuth.presentedToken(ex), List.of());
        }
        d.authenticClaims().ifPresent(c -> ex.presented(Credential.of(c)));
        if (d.allowed()) {
            AccessTokenClaims c = d.claims();
            ex.authenticated(new Actor(c.subject(), c.sessionId(), c.taskId()));
            d = d.requiring(scopes);
        }
        if (!d.allowed()) {
            throw new MayflyException(d.error());
        }
        return d.claims();
    }
}
