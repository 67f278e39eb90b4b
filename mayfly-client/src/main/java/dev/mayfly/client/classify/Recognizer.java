package dev.mayfly.client.classify;

/**
 * Reads one response format. Returns a builder with at least the kind and format set, or {@code null}
 * when the response is not in this format (or this format does not decide it), so the next one is asked.
 */
interface Recognizer {
    AuthFailure.Builder recognize(ResponseView r);
}
