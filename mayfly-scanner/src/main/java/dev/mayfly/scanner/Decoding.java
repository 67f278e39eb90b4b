package dev.mayfly.scanner;

/** The encodings the scanner looks through. All are on by default; depth is bounded. */
public enum Decoding {
    /** JSON string escapes ({@code \"}, {@code \\}, {@code \n}, backslash-u escapes...), also JSON inside JSON strings. */
    JSON_STRING("json-string"),
    /** Standard and URL-safe base64 runs that decode to text (Basic auth, Kubernetes Secret data, blobs). */
    BASE64("base64"),
    /** URL percent-encoding ({@code %3D}). */
    PERCENT("percent"),
    /**
     * Streamed LLM output in JSONL or server-sent events: the text of OpenAI {@code choices[].delta}
     * (content, tool-call arguments), Anthropic {@code content_block_delta} and OpenAI Responses
     * {@code *.delta} events is reassembled per stream before scanning.
     */
    LLM_STREAM("llm-stream");

    private final String label;

    Decoding(String label) {
        this.label = label;
    }

    /** The name reports use. */
    public String label() {
        return label;
    }
}
