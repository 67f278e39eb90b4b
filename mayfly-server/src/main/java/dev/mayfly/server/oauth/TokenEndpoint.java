package dev.mayfly.server.oauth;

import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyError;
import dev.mayfly.server.http.HttpExchange;
import dev.mayfly.server.http.Route;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code POST /oauth/token}: dispatches on {@code grant_type} (RFC 6749 §3.2). */
public final class TokenEndpoint implements Route {
    private final Map<String, Grant> grants = new LinkedHashMap<>();

    TokenEndpoint(List<Grant> grants) {
        grants.forEach(g -> this.grants.put(g.type(), g));
    }

    public List<String> grantTypes() {
        return List.copyOf(grants.keySet());
    }

    @Override
    public void handle(HttpExchange ex) {
        FormParams form = new FormParams(ex.form());
        String type = form.required("grant_type");
        Grant grant = grants.get(type);
        ex.attribute("grant", grant == null ? "unsupported" : grant.type());
        if (grant == null) {
            throw new OAuthException("unsupported_grant_type", MayflyError.of(ErrorCode.USAGE,
                    "Grant type " + type + " is not supported; use one of " + String.join(", ", grants.keySet()) + "."));
        }
        ex.sendJson(200, grant.grant(ex, form), Map.of("Pragma", "no-cache"));
    }
}
