package dev.mayfly.server.http;

import dev.mayfly.core.error.MayflyError;

/** Sends a catalog error in the form of the part of the API it occurred in (envelope, or RFC 6749). */
@FunctionalInterface
public interface ErrorRenderer {
    /**
     * @param error   the catalog error the failure maps to
     * @param failure what was thrown, for renderers that know more specific types
     */
    void render(HttpExchange exchange, MayflyError error, Throwable failure);
}
