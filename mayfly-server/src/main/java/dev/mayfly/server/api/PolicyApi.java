package dev.mayfly.server.api;

import dev.mayfly.core.policy.TtlPolicy;
import dev.mayfly.policy.PolicyDocument;
import dev.mayfly.server.http.Envelopes;
import dev.mayfly.server.http.HttpExchange;
import dev.mayfly.server.http.Route;
import dev.mayfly.verifier.TokenVerifier;
import java.util.List;

/**
 * {@code GET /v1/policy}: the broker's effective lifetime policy, in the policy file's shape with every key
 * explicit. Read-only. Any authentic token audienced to the broker may read it: agents may plan around
 * their lifetimes, and the policy holds no secret.
 */
final class PolicyApi implements Route {
    private final TokenVerifier verifier;
    private final TtlPolicy policy;

    PolicyApi(TokenVerifier verifier, TtlPolicy policy) {
        this.verifier = verifier;
        this.policy = policy;
    }

    @Override
    public void handle(HttpExchange ex) {
        V1Auth.require(ex, verifier, List.of());
        Envelopes.ok(ex, PolicyDocument.toMap(policy));
    }
}
