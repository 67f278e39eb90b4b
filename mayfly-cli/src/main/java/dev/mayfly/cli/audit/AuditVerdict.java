package dev.mayfly.cli.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/** Reads {@code GET /v1/audit/verify}'s answer: one wording of a broken trail for {@code audit verify} and {@code doctor}. */
public final class AuditVerdict {
    private AuditVerdict() {
    }

    /** The first node chain that failed, if one did (else the problem is a checkpoint's). */
    public static Optional<JsonNode> badNode(JsonNode data) {
        for (JsonNode n : data.path("nodes")) {
            if (!n.path("valid").asBoolean(true)) {
                return Optional.of(n);
            }
        }
        return Optional.empty();
    }

    /** "The audit trail is broken: node X: record 3 was modified." */
    public static String brokenMessage(JsonNode data) {
        return "The audit trail is broken: " + data.path("problem").asText("unknown problem") + ".";
    }
}
