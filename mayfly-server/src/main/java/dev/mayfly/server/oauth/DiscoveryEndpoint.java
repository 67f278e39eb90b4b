package dev.mayfly.server.oauth;

import dev.mayfly.server.http.HttpExchange;
import dev.mayfly.server.http.Route;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Authorization server metadata (RFC 8414), served at {@code /.well-known/oauth-authorization-server} and,
 * with the OpenID fields a discovery client expects, at {@code /.well-known/openid-configuration}.
 */
final class DiscoveryEndpoint implements Route {
    private final Map<String, Object> metadata;

    DiscoveryEndpoint(String issuer, List<String> grantTypes, String signingAlg, boolean openid) {
        List<String> authMethods = List.of("client_secret_basic", "client_secret_post");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("issuer", issuer);
        m.put("token_endpoint", issuer + "/oauth/token");
        m.put("jwks_uri", issuer + "/jwks.json");
        m.put("revocation_endpoint", issuer + "/oauth/revoke");
        m.put("introspection_endpoint", issuer + "/oauth/introspect");
        m.put("grant_types_supported", grantTypes);
        m.put("response_types_supported", List.of());
        m.put("token_endpoint_auth_methods_supported", authMethods);
        m.put("revocation_endpoint_auth_methods_supported", authMethods);
        m.put("introspection_endpoint_auth_methods_supported", authMethods);
        m.put("scopes_supported", List.of("mayfly:admin", "mayfly:revoke", "mayfly:revocations:read"));
        m.put("access_token_signing_alg_values_supported", List.of(signingAlg));
        if (openid) {
            m.put("subject_types_supported", List.of("public"));
            m.put("id_token_signing_alg_values_supported", List.of(signingAlg));
        }
        this.metadata = Collections.unmodifiableMap(m);
    }

    @Override
    public void handle(HttpExchange ex) {
        ex.sendJson(200, metadata, Map.of());
    }
}
