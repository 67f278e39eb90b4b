package dev.mayfly.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.mayfly.core.json.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * A JSON answer with every string (member values and array items, at any depth) passed through the scanner's
 * redaction ({@link ClientText#redacted(String)}). Used for what a person's browser is shown: the console must
 * never render a secret, whichever record or reason a secret slipped into.
 */
final class RedactedJson {
    private RedactedJson() {
    }

    static JsonNode of(Object body) {
        JsonNode tree = Json.mapper().valueToTree(body);
        return redact(tree);
    }

    private static JsonNode redact(JsonNode node) {
        if (node.isTextual()) {
            String text = node.asText();
            String masked = ClientText.redacted(text);
            return masked.equals(text) ? node : TextNode.valueOf(masked);
        }
        if (node.isObject()) {
            ObjectNode o = (ObjectNode) node;
            List<String> names = new ArrayList<>();
            o.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                o.set(name, redact(o.get(name)));
            }
        } else if (node.isArray()) {
            ArrayNode a = (ArrayNode) node;
            for (int i = 0; i < a.size(); i++) {
                a.set(i, redact(a.get(i)));
            }
        }
        return node;
    }
}
