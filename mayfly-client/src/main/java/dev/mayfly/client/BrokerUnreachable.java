package dev.mayfly.client;

import java.time.Duration;

/**
 * No broker URL gave an answer that settles the request: refused, timed out, dropped, or a 429/5xx.
 * {@link #maybeProcessed()} is true when some broker may have acted on the request without the client
 * seeing the answer (the connection broke after the request was sent, or a gateway timed out): a rotated
 * refresh token must then not be presented again, since that would count as reuse.
 */
final class BrokerUnreachable extends Exception {
    private static final long serialVersionUID = 1L;

    private final boolean maybeProcessed;
    private final Duration retryAfter;

    BrokerUnreachable(String message, boolean maybeProcessed, Duration retryAfter) {
        super(message, null, false, false);
        this.maybeProcessed = maybeProcessed;
        this.retryAfter = retryAfter;
    }

    boolean maybeProcessed() {
        return maybeProcessed;
    }

    Duration retryAfter() {
        return retryAfter;
    }
}
