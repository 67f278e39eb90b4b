package dev.mayfly.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyException;
import dev.mayfly.server.oauth.assertion.RegisteredKey;
import dev.mayfly.server.store.AgentTrust;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads an agent's assertion trust from a {@code /v1/agents} body: {@code "federated": {"issuer": URL,
 * "claims": {NAME: VALUE}}} and {@code "public_key"} (a JWK object, or a PEM string). A member left out keeps
 * what {@code current} has; {@code null} removes it.
 */
final class AgentTrustBody {
    private AgentTrustBody() {
    }

    static AgentTrust read(JsonNode body, AgentTrust current) {
        String issuer = current.federatedIssuer();
        Map<String, String> claims = current.federatedClaims();
        if (body.has("federated")) {
            JsonNode f = body.get("federated");
            if (f.isNull()) {
                issuer = null;
                claims = Map.of();
            } else if (!f.isObject() || !f.path("issuer").isTextual()) {
                throw usage("'federated' must be {\"issuer\": URL, \"claims\": {NAME: VALUE, ...}} or null");
            } else {
                issuer = f.get("issuer").asText();
                claims = claims(f.get("claims"));
            }
        }
        String key = current.publicJwk();
        if (body.has("public_key")) {
            JsonNode k = body.get("public_key");
            if (k.isNull()) {
                key = null;
            } else if (k.isObject()) {
                key = RegisteredKey.normalise(k.toString());
            } else if (k.isTextual()) {
                key = RegisteredKey.normalise(k.asText());
            } else {
                throw usage("'public_key' must be a JWK object, a PEM string or null");
            }
        }
        return new AgentTrust(issuer, claims, key);
    }

    private static Map<String, String> claims(JsonNode n) {
        if (n == null || n.isNull()) {
            return Map.of();
        }
        if (!n.isObject()) {
            throw usage("'federated.claims' must be an object of NAME: VALUE strings");
        }
        Map<String, String> out = new LinkedHashMap<>();
        var fields = n.fields();
        while (fields.hasNext()) {
            var e = fields.next();
            if (!e.getValue().isTextual()) {
                throw usage("'federated.claims' values must be strings");
            }
            out.put(e.getKey(), e.getValue().asText());
        }
        return out;
    }

    private static MayflyException usage(String message) {
        return new MayflyException(ErrorCode.USAGE, "Invalid agent: " + message + ".");
    }
}
