package dev.mayfly.server.oauth;

import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyError;
import dev.mayfly.core.token.Audiences;
import dev.mayfly.server.store.Agent;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Where a token will be used: the RFC 8707 {@code resource} and RFC 8693 {@code audience} parameters of a
 * token request, together. Every grant reads them, because the MCP authorization spec has clients send
 * {@code resource} on every token request (login and refresh as well as exchange) and expects a token
 * audienced to that resource only, never one a resource server could pass on to another. Each value must be
 * the broker itself or among the agent's allowed audiences, else {@code invalid_target} (RFC 8707 §2).
 */
final class ResourceIndicators {
    private ResourceIndicators() {
    }

    /** The requested audiences, or {@code issuer} alone when the request names none. */
    static List<String> audiences(FormParams form, Agent agent, String issuer) {
        Set<String> requested = new LinkedHashSet<>(form.all("audience"));
        requested.addAll(form.all("resource"));
        if (requested.isEmpty()) {
            return List.of(issuer);
        }
        List<String> out = new ArrayList<>();
        for (String a : requested) {
            if (!Audiences.isValid(a)) {
                throw new OAuthException("invalid_target", MayflyError.of(ErrorCode.USAGE,
                        "Invalid audience or resource: " + Audiences.rule() + "."));
            }
            if (!a.equals(issuer) && !agent.audiences().contains(a)) {
                throw new OAuthException("invalid_target", MayflyError.builder(ErrorCode.PERMISSION_DENIED,
                                "Agent " + agent.name() + " may not get tokens for audience " + a + ".")
                        .reauthCommand(null)
                        .detail("audience", a)
                        .detail("allowed_audiences", agent.audiences())
                        .build());
            }
            out.add(a);
        }
        return out;
    }
}
