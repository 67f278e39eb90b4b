package dev.mayfly.server.http;

import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyException;
import java.time.Duration;
import java.util.Objects;

/**
 * How long and how large a client may be: the connector's idle timeout, the deadline for a request to arrive
 * (its headers from the connection's first byte or the end of the previous request; its body from the end of
 * its headers), the request-header size and the number of open connections. Request bodies are capped at
 * {@link HttpExchange#MAX_BODY_BYTES} whatever these say. Immutable.
 */
public record HttpLimits(Duration idleTimeout, Duration requestReadTimeout, int maxRequestHeaderBytes,
                         int maxConnections) {
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_REQUEST_READ_TIMEOUT = Duration.ofSeconds(20);
    public static final int DEFAULT_MAX_REQUEST_HEADER_BYTES = 8 * 1024;
    public static final int DEFAULT_MAX_CONNECTIONS = 4096;

    public HttpLimits {
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(requestReadTimeout, "requestReadTimeout");
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw usage("The idle timeout must be positive.");
        }
        if (requestReadTimeout.isNegative() || requestReadTimeout.isZero()) {
            throw usage("The request read timeout must be positive.");
        }
        if (maxRequestHeaderBytes < 1024 || maxRequestHeaderBytes > 1024 * 1024) {
            throw usage("The request header limit must be between 1 KiB and 1 MiB, got " + maxRequestHeaderBytes + " bytes.");
        }
        if (maxConnections < 1) {
            throw usage("The connection limit must be at least 1, got " + maxConnections + ".");
        }
    }

    public static HttpLimits defaults() {
        return new HttpLimits(DEFAULT_IDLE_TIMEOUT, DEFAULT_REQUEST_READ_TIMEOUT, DEFAULT_MAX_REQUEST_HEADER_BYTES,
                DEFAULT_MAX_CONNECTIONS);
    }

    public HttpLimits withIdleTimeout(Duration d) {
        return new HttpLimits(d, requestReadTimeout, maxRequestHeaderBytes, maxConnections);
    }

    public HttpLimits withRequestReadTimeout(Duration d) {
        return new HttpLimits(idleTimeout, d, maxRequestHeaderBytes, maxConnections);
    }

    public HttpLimits withMaxRequestHeaderBytes(int bytes) {
        return new HttpLimits(idleTimeout, requestReadTimeout, bytes, maxConnections);
    }

    public HttpLimits withMaxConnections(int n) {
        return new HttpLimits(idleTimeout, requestReadTimeout, maxRequestHeaderBytes, n);
    }

    private static MayflyException usage(String message) {
        return new MayflyException(ErrorCode.USAGE, message);
    }
}
