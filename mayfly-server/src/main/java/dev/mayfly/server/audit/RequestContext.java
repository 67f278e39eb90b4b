package dev.mayfly.server.audit;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Who is asking, for the audit trail: the request id and client address (set by the router for each
 * request) and the authenticated actor (set when a caller proves who it is). Held per thread for the
 * duration of one request; background jobs have none.
 */
public final class RequestContext {
    private static final ThreadLocal<RequestContext> CURRENT = new ThreadLocal<>();

    private final String requestId;
    private final String clientAddress;
    private volatile Map<String, Object> actor;

    private RequestContext(String requestId, String clientAddress) {
        this.requestId = requestId;
        this.clientAddress = clientAddress;
    }

    /** Opens the context of a request on this thread; close it when the request is done. */
    public static Scope open(String requestId, String clientAddress) {
        CURRENT.set(new RequestContext(requestId, clientAddress));
        return CURRENT::remove;
    }

    /** The current request's context, or an empty one outside a request. */
    public static RequestContext current() {
        RequestContext c = CURRENT.get();
        return c != null ? c : new RequestContext(null, null);
    }

    /** Records the authenticated caller: agent, session and task of the token (or client) it presented. */
    public static void authenticated(String agentId, String sessionId, String taskId) {
        RequestContext c = CURRENT.get();
        if (c != null) {
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("agent_id", agentId);
            if (sessionId != null) {
                a.put("session_id", sessionId);
            }
            if (taskId != null) {
                a.put("task_id", taskId);
            }
            c.actor = a;
        }
    }

    public String requestId() {
        return requestId;
    }

    public String clientAddress() {
        return clientAddress;
    }

    /** The actor chain: who did it ({@code null} when unauthenticated or a background job). */
    public Map<String, Object> actor() {
        return actor;
    }

    /** Ends a request's context. */
    @FunctionalInterface
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
