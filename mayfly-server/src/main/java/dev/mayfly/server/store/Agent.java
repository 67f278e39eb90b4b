package dev.mayfly.server.store;

import dev.mayfly.core.policy.AgentKind;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A registered agent: who may ask for which scopes and audiences, and how it logs in. The client secret is stored
 * only hashed; an agent that logs in only by JWT assertion has none ({@code secretHash} null).
 */
public record Agent(
        String agentId,
        String clientId,
        String name,
        AgentKind kind,
        List<String> scopes,
        List<String> audiences,
        String secretHash,
        Instant createdAt,
        Instant disabledAt,
        AgentTrust trust) {

    public Agent {
        scopes = List.copyOf(scopes);
        audiences = List.copyOf(audiences);
        trust = trust == null ? AgentTrust.NONE : trust;
    }

    /** An agent that logs in with its client secret only. */
    public Agent(String agentId, String clientId, String name, AgentKind kind, List<String> scopes,
                 List<String> audiences, String secretHash, Instant createdAt, Instant disabledAt) {
        this(agentId, clientId, name, kind, scopes, audiences, secretHash, createdAt, disabledAt, AgentTrust.NONE);
    }

    public boolean hasSecret() {
        return secretHash != null;
    }

    /** The same agent trusting {@code newTrust} instead. */
    public Agent withTrust(AgentTrust newTrust) {
        return new Agent(agentId, clientId, name, kind, scopes, audiences, secretHash, createdAt, disabledAt, newTrust);
    }

    public boolean disabled() {
        return disabledAt != null;
    }

    /** The public view: everything but the secret hash. */
    public Map<String, Object> toView() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("agent_id", agentId);
        m.put("client_id", clientId);
        m.put("name", name);
        m.put("kind", kind.wireName());
        m.put("scopes", scopes);
        m.put("audiences", audiences);
        m.put("created_at", createdAt.toString());
        m.put("disabled", disabled());
        m.put("disabled_at", disabledAt == null ? null : disabledAt.toString());
        m.put("client_secret_set", hasSecret());
        m.putAll(trust.toView());
        return m;
    }
}
