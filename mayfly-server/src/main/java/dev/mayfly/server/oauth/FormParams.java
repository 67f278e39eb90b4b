package dev.mayfly.server.oauth;

import dev.mayfly.core.text.AsciiDecimal;
import java.util.List;
import java.util.Map;

/** Reads OAuth request parameters: RFC 6749 §3.2 forbids repeating a parameter, and empty means absent. */
final class FormParams {
    private final Map<String, List<String>> form;

    FormParams(Map<String, List<String>> form) {
        this.form = form;
    }

    /** The single value of a parameter, or {@code null} when absent or empty. */
    String optional(String name) {
        List<String> values = form.get(name);
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw OAuthErrors.invalidRequest("Parameter '" + name + "' must not be repeated.");
        }
        String v = values.get(0);
        return v.isEmpty() ? null : v;
    }

    String required(String name) {
        String v = optional(name);
        if (v == null) {
            throw OAuthErrors.invalidRequest("Parameter '" + name + "' is required.");
        }
        return v;
    }

    /** Every value of a parameter that may repeat ({@code audience}, {@code resource} in RFC 8693). */
    List<String> all(String name) {
        return form.getOrDefault(name, List.of()).stream().filter(v -> !v.isEmpty()).toList();
    }

    /** The {@code ttl} extension parameter: whole seconds, like {@code expires_in}. */
    java.time.Duration ttl() {
        String v = optional("ttl");
        if (v == null) {
            return null;
        }
        try {
            long seconds = AsciiDecimal.parse(v); // not Long.parseLong: it takes "+60" and "٣"
            if (seconds < 1 || seconds > 86_400) {
                throw new NumberFormatException();
            }
            return java.time.Duration.ofSeconds(seconds);
        } catch (NumberFormatException e) {
            throw OAuthErrors.invalidRequest("Parameter 'ttl' must be whole seconds between 1 and 86400, in ASCII digits.");
        }
    }
}
