package dev.mayfly.server.audit;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Who proved who they are in a request: the agent, and the session and task of the token it presented
 * (absent for a client-secret login). Returned by authentication and carried in the {@link RequestContext},
 * so every audit record of the request is attributed to it, even one written on another thread.
 */
public record Actor(String agentId, String sessionId, String taskId) {

    /** An agent that authenticated with its client secret: no session or task yet. */
    public static Actor agent(String agentId) {
        return new Actor(agentId, null, null);
    }

    /** The audit record's {@code actor} object: absent parts are left out. */
    Map<String, Object> toMap() {
        Map<String, Object> a = new LinkedHashMap<>();
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
