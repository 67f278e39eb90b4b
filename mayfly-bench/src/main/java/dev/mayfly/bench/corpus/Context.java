package dev.mayfly.bench.corpus;

import java.util.Locale;

/** How a planted value is written into the corpus. */
enum Context {
    /** As is, in a log line ({@code GITHUB_TOKEN=ghp_…} or inside prose). */
    PLAIN,
    /** Inside a JSON string value (quotes and newlines escaped). */
    JSON_STRING,
    /** Inside a JSON document that is itself a JSON string value (escaped twice). */
    JSON_IN_JSON,
    /** Inside a JSON string with punctuation and some letters written as {@code \\uXXXX}. */
    UNICODE_ESCAPE,
    /** The whole statement in standard base64 (padded). */
    BASE64,
    /** The whole statement in URL-safe base64 without padding. */
    BASE64URL,
    /** {@code Authorization: Basic base64(user:secret)}. */
    BASIC_AUTH,
    /** A value under {@code data:} of a Kubernetes Secret manifest (base64 of the bare secret). */
    K8S_SECRET,
    /** Percent-encoded in a URL query parameter. */
    PERCENT,
    /** Streamed OpenAI chat completion chunks ({@code choices[].delta.content}), the secret split across deltas. */
    STREAM_OPENAI,
    /** Streamed Anthropic {@code content_block_delta} events, the secret split across deltas. */
    STREAM_ANTHROPIC;

    String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether a secret of this type can be written this way at all. */
    boolean admits(SecretType t) {
        switch (this) {
            case BASIC_AUTH:
                return !t.needsKey && !t.isPem();
            case K8S_SECRET:
                return !t.inStatementOnly();
            default:
                return true;
        }
    }
}
