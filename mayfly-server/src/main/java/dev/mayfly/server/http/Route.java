package dev.mayfly.server.http;

/** A handler for one method and path. It sends exactly one response or throws; the router renders throws. */
@FunctionalInterface
public interface Route {
    void handle(HttpExchange exchange) throws Exception;
}
