package dev.mayfly.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyException;
import dev.mayfly.core.policy.AgentKind;
import dev.mayfly.core.policy.TtlPolicy;
import dev.mayfly.core.revocation.RevocationEvent;
import dev.mayfly.core.text.AsciiDecimal;
import dev.mayfly.server.agent.AgentRegistry;
import dev.mayfly.server.http.ClientText;
import dev.mayfly.server.http.Envelopes;
import dev.mayfly.server.http.HttpExchange;
import dev.mayfly.server.http.Router;
import dev.mayfly.server.revocation.Revoker;
import dev.mayfly.server.store.Agent;
import dev.mayfly.server.store.AgentTrust;
import dev.mayfly.server.store.Stores;
import dev.mayfly.verifier.TokenVerifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /v1/agents}: register, list, show, update (assertion trust) and disable agents. Admin only
 * ({@code mayfly:admin}).
 */
final class AgentsApi {
    private static final List<String> ADMIN = List.of(TtlPolicy.ADMIN_SCOPE);
    private static final int MAX_PAGE = 500;

    private final TokenVerifier verifier;
    private final AgentRegistry registry;
    private final Stores stores;
    private final Revoker revoker;

    AgentsApi(TokenVerifier verifier, AgentRegistry registry, Stores stores, Revoker revoker) {
        this.verifier = verifier;
        this.registry = registry;
        this.stores = stores;
        this.revoker = revoker;
    }

    void install(Router router) {
        router.add("POST", "/v1/agents", this::create)
                .add("GET", "/v1/agents", this::list)
                .add("GET", "/v1/agents/{id}", this::show)
                .add("PATCH", "/v1/agents/{id}", this::update)
                .add("POST", "/v1/agents/{id}/disable", this::disable);
    }

    private void create(HttpExchange ex) {
        V1Auth.require(ex, verifier, ADMIN);
        JsonNode body = ex.json();
        if (!body.isObject()) {
            throw new MayflyException(ErrorCode.USAGE, "The body must be a JSON object {name, kind, scopes, audiences}.");
        }
        AgentKind kind;
        try {
            kind = body.hasNonNull("kind") ? AgentKind.parse(body.get("kind").asText()) : AgentKind.INTERACTIVE;
        } catch (IllegalArgumentException e) {
            throw new MayflyException(ErrorCode.USAGE, "Invalid agent: " + e.getMessage() + ".");
        }
        AgentTrust trust = AgentTrustBody.read(body, AgentTrust.NONE);
        // An agent set up to log in by assertion gets no secret unless asked: no secret zero to leak.
        boolean assertionLogin = trust.federated() || trust.keyBound();
        boolean withSecret = body.has("client_secret") ? body.get("client_secret").asBoolean(false) : !assertionLogin;
        if (body.has("client_secret") && !body.get("client_secret").isBoolean()) {
            throw new MayflyException(ErrorCode.USAGE, "'client_secret' must be true or false (whether to mint one).");
        }
        AgentRegistry.Registration r = registry.create(ex.context(), body.path("name").isTextual() ? body.get("name").asText() : null,
                kind, strings(body, "scopes"), strings(body, "audiences"), trust, withSecret);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("agent_id", r.agent().agentId());
        data.put("client_id", r.agent().clientId());
        data.put("client_secret", r.clientSecret() == null ? null : r.clientSecret().secret().reveal());
        data.putAll(r.agent().toView());
        Envelopes.ok(ex, 201, data, r.clientSecret() == null ? List.of()
                : List.of("The client secret is shown only once; store it now."));
    }

    /** PATCH: replaces the members given ({@code federated}, {@code public_key}; null removes one). */
    private void update(HttpExchange ex) {
        V1Auth.require(ex, verifier, ADMIN);
        Agent agent = find(ex.pathParam("id"));
        JsonNode body = ex.json();
        if (!body.isObject()) {
            throw new MayflyException(ErrorCode.USAGE, "The body must be a JSON object {federated, public_key}.");
        }
        Agent updated = registry.updateTrust(ex.context(), agent.agentId(), AgentTrustBody.read(body, agent.trust()));
        Envelopes.ok(ex, updated.toView());
    }

    private void list(HttpExchange ex) {
        V1Auth.require(ex, verifier, ADMIN);
        Map<String, List<String>> q = ex.query();
        String after = q.containsKey("after") ? q.get("after").get(0) : null;
        int limit = q.containsKey("limit") ? parseLimit(q.get("limit").get(0)) : 100;
        List<Agent> page = stores.db().read(c -> stores.agents().list(c, after, limit));
        List<Map<String, Object>> views = new ArrayList<>();
        page.forEach(a -> views.add(a.toView()));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("agents", views);
        data.put("next_after", page.size() == limit ? page.get(page.size() - 1).agentId() : null);
        Envelopes.ok(ex, data);
    }

    private void show(HttpExchange ex) {
        V1Auth.require(ex, verifier, ADMIN);
        Agent agent = find(ex.pathParam("id"));
        Envelopes.ok(ex, agent.toView());
    }

    private void disable(HttpExchange ex) {
        V1Auth.require(ex, verifier, ADMIN);
        Agent agent = find(ex.pathParam("id"));
        JsonNode body = ex.json();
        String reason = body.path("reason").isTextual()
                ? ClientText.redacted(body.get("reason").asText(), RevocationsApi.MAX_REASON) : "agent disabled";
        RevocationEvent r = revoker.disableAgentKeepingAnAdmin(ex.context(), agent.agentId(), reason);
        Map<String, Object> data = new LinkedHashMap<>(find(agent.agentId()).toView());
        data.put("revocation", r.toView());
        Envelopes.ok(ex, data);
    }

    private Agent find(String id) {
        return stores.db().read(c -> stores.agents().byId(c, id))
                .orElseThrow(() -> new MayflyException(ErrorCode.NOT_FOUND, "No agent with id " + id + "."));
    }

    private static int parseLimit(String s) {
        try {
            long n = AsciiDecimal.parse(s);
            if (n < 1 || n > MAX_PAGE) {
                throw new NumberFormatException();
            }
            return (int) n;
        } catch (NumberFormatException e) {
            throw new MayflyException(ErrorCode.USAGE, "limit must be between 1 and " + MAX_PAGE + ".");
        }
    }

    private static List<String> strings(JsonNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return List.of();
        }
        if (!n.isArray()) {
            throw new MayflyException(ErrorCode.USAGE, "'" + field + "' must be an array of strings.");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode item : n) {
            if (!item.isTextual()) {
                throw new MayflyException(ErrorCode.USAGE, "'" + field + "' must be an array of strings.");
            }
            out.add(item.asText());
        }
        return out;
    }
}
