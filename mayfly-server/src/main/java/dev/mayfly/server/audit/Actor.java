package dev.mayfly.server.audit;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Who proved who they are in a request: the agent, and the session and task of the token it presented
 * (absent for a client-secret login). Returned by authentication and carried in the {@link RequestContext},
 * so every audit record of the request is attributed to it, even one written on another thread. Work no
 * request caused is done by a part of the broker itself: a {@link #system} actor names which.
 *
 * @param system the broker's own component acting (then the other fields are null), or null for an agent
 */
public record Actor(String agentId, String sessionId, String taskId, String system) {

    public Actor(String agentId, String sessionId, String taskId) {
        this(agentId, sessionId, taskId, null);
    }

    /** An agent that authenticated with its client secret: no session or task yet. */
    public static Actor agent(String agentId) {
        return new Actor(agentId, null, null);
    }

    /** The broker itself, as {@code component} (bootstrap, the webhook dispatcher): the actor of background work. */
    public static Actor system(String component) {
        return new Actor(null, null, null, component);
    }

    /** The audit record's {@code actor} object: absent parts are left out. */
    Map<String, Object> toMap() {
        Map<String, Object> a = new LinkedHashMap<>();
        if (system != null) {
            a.put("system", system);
            return a;
        }
        a.put("agent_id", agentId);
        if (sessionId != null) {
            a.put("session_id", sessionId);
        }
        if (taskId != null) {
            a.put("task_id", taskId);
        }
        return a;
    }
}
