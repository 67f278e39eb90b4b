package dev.mayfly.server.store;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How an agent may log in besides (or instead of) a client secret, by a JWT assertion (RFC 7523 §2.2):
 * federated, trusting tokens of an external OIDC issuer whose claims meet every rule; and key-bound, trusting
 * assertions the agent signs with its own registered key ({@code private_key_jwt}). Either, both or neither may
 * be set. Immutable.
 *
 * @param federatedIssuer the external issuer URL ({@code iss}), or null
 * @param federatedClaims claim rules NAME → VALUE, all of which must match; empty when not federated
 * @param publicJwk       the agent's public key as a JWK JSON object (no private members), or null
 */
public record AgentTrust(String federatedIssuer, Map<String, String> federatedClaims, String publicJwk) {
    public static final AgentTrust NONE = new AgentTrust(null, Map.of(), null);

    public AgentTrust {
        // Kept in the order given: rules are shown back the way the operator wrote them.
        federatedClaims = federatedClaims == null ? Map.of()
                : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(federatedClaims));
    }

    public boolean federated() {
        return federatedIssuer != null;
    }

    public boolean keyBound() {
        return publicJwk != null;
    }

    /** The public view: the issuer, its rules and the key (public by nature). */
    public Map<String, Object> toView() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (federated()) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("issuer", federatedIssuer);
            f.put("claims", federatedClaims);
            m.put("federated", f);
        } else {
            m.put("federated", null);
        }
        try {
            m.put("public_key", keyBound() ? dev.mayfly.core.json.Json.mapper().readTree(publicJwk) : null);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("stored public key is not JSON", e); // written only after parsing
        }
        return m;
    }
}
