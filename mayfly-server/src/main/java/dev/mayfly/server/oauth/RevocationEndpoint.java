package dev.mayfly.server.oauth;

import dev.mayfly.core.secret.OpaqueSecret;
import dev.mayfly.core.secret.SecretKind;
import dev.mayfly.core.token.AccessTokenClaims;
import dev.mayfly.server.audit.RequestContext;
import dev.mayfly.server.http.HttpExchange;
import dev.mayfly.server.http.Route;
import dev.mayfly.server.revocation.Revoker;
import dev.mayfly.server.store.Database;
import dev.mayfly.server.store.RefreshToken;
import dev.mayfly.server.store.SessionStore;
import dev.mayfly.server.store.Stores;
import dev.mayfly.verifier.Decision;
import dev.mayfly.verifier.TokenVerifier;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code POST /oauth/revoke} (RFC 7009). Revoking an access token revokes its {@code jti}; revoking a
 * refresh token ends its whole session (§2.1: the grant's access tokens go with it). Possession of a token
 * is enough to revoke it (revoking can only take access away, and a leaked token must be killable by
 * whoever finds it); client credentials, when sent, must be valid. Unknown, expired or already revoked
 * tokens are answered 200 like any other (§2.2).
 */
final class RevocationEndpoint implements Route {
    private final ClientAuthenticator clients;
    private final TokenVerifier anyAudience;
    private final Database db;
    private final SessionStore sessions;
    private final Revoker revoker;

    RevocationEndpoint(ClientAuthenticator clients, TokenVerifier anyAudience, Stores stores, Revoker revoker) {
        this.clients = clients;
        this.anyAudience = anyAudience;
        this.db = stores.db();
        this.sessions = stores.sessions();
        this.revoker = revoker;
    }

    @Override
    public void handle(HttpExchange ex) {
        FormParams form = new FormParams(ex.form());
        clients.authenticateIfPresent(ex, form);
        String token = form.required("token");
        if (token.startsWith(SecretKind.REFRESH_TOKEN.prefix())) {
            revokeRefreshToken(ex.context(), token);
        } else {
            Decision d = anyAudience.verifyIgnoringBinding(token, List.of()); // revoking needs no proof
            if (d.allowed()) {
                AccessTokenClaims c = d.claims();
                revoker.revokeToken(ex.context(), c.jwtId(), c.expiresAt(), "revoked via /oauth/revoke");
            }
        }
        ex.send(200, "application/json", new byte[0], Map.of());
    }

    private void revokeRefreshToken(RequestContext origin, String token) {
        Optional<OpaqueSecret> parsed = OpaqueSecret.parse(token, SecretKind.REFRESH_TOKEN);
        if (parsed.isEmpty()) {
            return;
        }
        Optional<RefreshToken> row = db.read(c -> sessions.refreshTokenByHash(c, parsed.get().hash()));
        row.ifPresent(r -> revoker.revokeSession(origin, r.sessionId(), "refresh token revoked via /oauth/revoke"));
    }
}
