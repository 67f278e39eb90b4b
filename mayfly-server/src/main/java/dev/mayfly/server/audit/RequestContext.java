package dev.mayfly.server.audit;

/**
 * Who is asking, for the audit trail: the request id and client address, captured by the router when the
 * request arrives, and the {@link Actor} once the caller has proved who it is. An immutable value that is
 * handed explicitly to whatever records an audit event, so a record keeps its origin whichever thread writes
 * it (the group-commit writer, for one). Work no request caused (start-up, background jobs) uses {@link #NONE}.
 */
public record RequestContext(String requestId, String clientAddress, Actor actor) {
    /** No request: bootstrap, webhook deliveries and other background work. */
    public static final RequestContext NONE = new RequestContext(null, null, null);

    /**
     * Background work of the broker's own {@code component}: no request id or address, and the component as
     * the actor, so the record still says who acted.
     */
    public static RequestContext system(String component) {
        return new RequestContext(null, null, Actor.system(component));
    }

    /** A request that has not authenticated (yet). */
    public static RequestContext of(String requestId, String clientAddress) {
        return new RequestContext(requestId, clientAddress, null);
    }

    /** The same request, now attributed to {@code actor}. */
    public RequestContext authenticated(Actor actor) {
        return new RequestContext(requestId, clientAddress, actor);
    }
}
