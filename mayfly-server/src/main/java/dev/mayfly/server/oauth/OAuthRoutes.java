package dev.mayfly.server.oauth;

import dev.mayfly.server.BrokerContext;
import dev.mayfly.server.http.Router;
import java.util.List;
import java.util.Map;

/** Mounts the standard OAuth endpoints: discovery, JWKS, token, introspection, revocation. */
public final class OAuthRoutes {
    private OAuthRoutes() {
    }

    public static void install(Router router, BrokerContext ctx) {
        TokenEndpoint token = new TokenEndpoint(List.of(
                new ClientCredentialsGrant(ctx.clients(), ctx.commits(), ctx.sessions(), ctx.minter(), ctx.policy(), ctx.clock(),
                        ctx.audit()),
                new RefreshTokenGrant(ctx.clients(), ctx.db(), ctx.sessions(), ctx.agents(), ctx.revoker(), ctx.minter(),
                        ctx.policy(), ctx.clock(), ctx.audit()),
                new TokenExchangeGrant(ctx.clients(), ctx.brokerTokens(), ctx.db(), ctx.sessions(), ctx.agents(),
                        ctx.revocations(), ctx.minter(), ctx.policy(), ctx.clock(), ctx.audit(), ctx.commits())));
        String alg = ctx.keys().algorithm();
        router.add("GET", "/.well-known/oauth-authorization-server",
                        new DiscoveryEndpoint(ctx.issuer(), token.grantTypes(), alg, false))
                .add("GET", "/.well-known/openid-configuration",
                        new DiscoveryEndpoint(ctx.issuer(), token.grantTypes(), alg, true))
                .add("GET", "/jwks.json", ex -> ex.send(200, "application/json",
                        ctx.keys().publicKeys().toString(true).getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        Map.of("Cache-Control", "public, max-age=300")))
                .add("POST", "/oauth/token", token)
                .add("POST", "/oauth/introspect", new IntrospectionEndpoint(ctx.clients(), ctx.anyAudience(), ctx.db(),
                        ctx.sessions(), ctx.agents(), ctx.clock()))
                .add("POST", "/oauth/revoke", new RevocationEndpoint(ctx.clients(), ctx.anyAudience(), ctx.db(),
                        ctx.sessions(), ctx.revoker()));
    }
}
