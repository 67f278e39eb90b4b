package dev.mayfly.client;

import dev.mayfly.core.error.MayflyError;
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
    private final transient MayflyError lastAnswer;

    BrokerUnreachable(String message, boolean maybeProcessed, Duration retryAfter) {
        this(message, maybeProcessed, retryAfter, null, null);
    }

    /**
     * @param lastFailure the last transport failure, or null
     * @param lastAnswer  the last 429/5xx answer as the broker sent it, or null
     */
    BrokerUnreachable(String message, boolean maybeProcessed, Duration retryAfter, Throwable lastFailure,
                      MayflyError lastAnswer) {
        super(message, lastFailure, false, false);
        this.maybeProcessed = maybeProcessed;
        this.retryAfter = retryAfter;
        this.lastAnswer = lastAnswer;
    }

    MayflyError lastAnswer() {
        return lastAnswer;
    }

    boolean maybeProcessed() {
        return maybeProcessed;
    }

    Duration retryAfter() {
        return retryAfter;
    }
}
