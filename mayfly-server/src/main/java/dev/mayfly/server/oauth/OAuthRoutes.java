package dev.mayfly.server.oauth;

import dev.mayfly.server.audit.AuditLog;
import dev.mayfly.server.crypto.MasterKey;
import dev.mayfly.server.http.Router;
import dev.mayfly.server.oauth.assertion.AssertionAuthenticator;
import dev.mayfly.server.oauth.assertion.IssuerKeys;
import dev.mayfly.server.revocation.Revoker;
import dev.mayfly.server.store.Stores;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import dev.mayfly.server.oauth.dpop.DpopSetup;
import dev.mayfly.server.oauth.dpop.TokenEndpointProofs;

/**
 * Mounts the standard OAuth endpoints: discovery, JWKS, token, introspection, revocation. Each endpoint and
 * grant is handed only the collaborators it uses.
 */
public final class OAuthRoutes {
    private OAuthRoutes() {
    }

    public static void install(Router router, Stores stores, Verifiers verifiers, Issuance issuance, Revoker revoker,
                               AuditLog audit, MasterKey masterKey) {
        ClientAuthenticator clients = new ClientAuthenticator(stores, issuance.clock(), new AssertionAuthenticator(
                stores.db(), stores.commits(), stores.agents(), new IssuerKeys(issuance.clock()), issuance.minter().issuer(),
                issuance.policy(), issuance.clock()));
        TokenEndpointProofs dpop = DpopSetup.tokenEndpoint(issuance, masterKey);
        TokenEndpoint token = new TokenEndpoint(List.of(
                new ClientCredentialsGrant(clients, stores, issuance, audit, dpop),
                new RefreshTokenGrant(clients, stores, revoker, issuance, audit, new RefreshTokenSuccessors(masterKey), dpop),
                new TokenExchangeGrant(clients, verifiers.brokerAudience(), stores, issuance, audit, dpop)));
        String issuer = issuance.minter().issuer();
        var keys = issuance.minter().keys();
        router.add("GET", "/.well-known/oauth-authorization-server",
                        new DiscoveryEndpoint(issuer, token.grantTypes(), keys.algorithm(), false))
                .add("GET", "/.well-known/openid-configuration",
                        new DiscoveryEndpoint(issuer, token.grantTypes(), keys.algorithm(), true))
                .add("GET", "/jwks.json", ex -> ex.send(200, "application/json",
                        keys.publicKeysJson().getBytes(StandardCharsets.UTF_8),
                        Map.of("Cache-Control", "public, max-age=300")))
                .add("POST", "/oauth/token", token)
                .add("POST", "/oauth/introspect",
                        new IntrospectionEndpoint(clients, verifiers.anyAudience(), stores, issuance.clock()))
                .add("POST", "/oauth/revoke", new RevocationEndpoint(clients, verifiers.anyAudience(), stores, revoker));
    }
}
