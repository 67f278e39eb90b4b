package dev.mayfly.core.http;

import dev.mayfly.core.error.MayflyError;
import java.util.Map;

/**
 * The {@code Retry-After} header (RFC 9110 §10.2.3) of an error that says when to retry: one rule for the
 * broker's envelopes and OAuth errors and the verifier's rejections.
 */
public final class RetryAfter {
    private RetryAfter() {
    }

    /**
     * Adds {@code Retry-After} when {@code error} carries {@code retry_after_ms}: whole seconds, rounded up so
     * a client that obeys never comes back early, and at least 1, since 0 would invite an immediate retry.
     */
    public static void addTo(Map<String, String> headers, MayflyError error) {
        if (error.retryAfterMs() != null) {
            headers.put("Retry-After", Long.toString(Math.max(1, (error.retryAfterMs() + 999) / 1000)));
        }
    }
}
