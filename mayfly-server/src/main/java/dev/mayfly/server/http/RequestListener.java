package dev.mayfly.server.http;

import dev.mayfly.core.error.MayflyError;

/** Told about each request after its response was sent (or started, for streams). */
@FunctionalInterface
public interface RequestListener {
    /** @param failure the catalog error the request ended with, or {@code null} on success */
    void finished(HttpExchange exchange, MayflyError failure);
}
