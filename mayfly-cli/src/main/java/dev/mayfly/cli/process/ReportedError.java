package dev.mayfly.cli.process;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mayfly.core.json.Json;
import java.io.IOException;
import java.util.Optional;
import java.util.Set;

/**
 * What another CLI said about its failure on stdout, read from a JSON envelope
 * ({@code {"ok": false, "error": {"code": ...}}}), a bare error object ({@code {"code": ...}}), or the last
 * JSON line of its output. Recognises the expiry and permanent-denial spellings agent CLIs use (CLI Agent
 * Spec §53). Immutable.
 */
public record ReportedError(JsonNode document, JsonNode error) {
    public static final Set<String> EXPIRY_CODES = Set.of("CREDENTIALS_EXPIRED", "TOKEN_EXPIRED", "AUTH_EXPIRED");
    public static final Set<String> DENIAL_CODES = Set.of("PERMISSION_DENIED", "FORBIDDEN");
    /** Codes that say "auth failed" without saying whether it was expiry or denial. */
    public static final Set<String> AMBIGUOUS_CODES = Set.of("UNAUTHORIZED", "ACCESS_DENIED", "AUTH_ERROR");

    /** The whole stdout as JSON, else its last line that parses; empty when nothing does. */
    public static Optional<JsonNode> parseDocument(String stdout) {
        Optional<JsonNode> whole = parse(stdout);
        if (whole.isPresent()) {
            return whole;
        }
        String[] lines = stdout.split("\n");
        for (int i = lines.length - 1; i >= 0; i--) {
            Optional<JsonNode> line = parse(lines[i]);
            if (line.isPresent()) {
                return line;
            }
        }
        return Optional.empty();
    }

    public static Optional<ReportedError> from(String stdout) {
        return parseDocument(stdout).flatMap(doc -> {
            JsonNode e = doc.get("error");
            if (e != null && e.isObject()) {
                return Optional.of(new ReportedError(doc, e));
            }
            if (doc.path("code").isTextual()) {
                return Optional.of(new ReportedError(doc, doc));
            }
            return Optional.empty();
        });
    }

    private static Optional<JsonNode> parse(String text) {
        String t = text.strip();
        if (!t.startsWith("{")) {
            return Optional.empty();
        }
        try {
            JsonNode n = Json.mapper().readTree(t);
            return n != null && n.isObject() ? Optional.of(n) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    public String code() {
        return error.path("code").asText(null);
    }

    public boolean isExpiry() {
        return EXPIRY_CODES.contains(code()) || error.path("expired").asBoolean(false);
    }

    public boolean isDenial() {
        return DENIAL_CODES.contains(code());
    }

    public Optional<String> text(String field) {
        JsonNode v = error.get(field);
        return v != null && v.isTextual() && !v.asText().isBlank() ? Optional.of(v.asText()) : Optional.empty();
    }

    /** The document with these warnings appended to its {@code warnings} array, as one line; empty if it has none. */
    public static Optional<String> withWarnings(JsonNode document, java.util.List<String> warnings) {
        if (!document.isObject() || !document.path("warnings").isArray()) {
            return Optional.empty();
        }
        ObjectNode copy = document.deepCopy();
        com.fasterxml.jackson.databind.node.ArrayNode array = (com.fasterxml.jackson.databind.node.ArrayNode) copy.get("warnings");
        warnings.forEach(array::add);
        return Optional.of(Json.write(copy));
    }
}
