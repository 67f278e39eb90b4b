package dev.mayfly.cli.broker;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The parameters of a {@code Bearer} challenge in a {@code WWW-Authenticate} header (RFC 6750 §3, RFC 7235
 * §2.1): {@code realm}, {@code error}, {@code error_description}, {@code scope}. Tolerant: quoted or token
 * values, any order, other schemes in the same header skipped.
 */
public record BearerChallenge(Map<String, String> params) {
    public static Optional<BearerChallenge> parse(String header) {
        if (header == null) {
            return Optional.empty();
        }
        int at = indexOfScheme(header);
        if (at < 0) {
            return Optional.empty();
        }
        Map<String, String> params = new LinkedHashMap<>();
        int i = at + "bearer".length();
        int n = header.length();
        while (i < n) {
            while (i < n && (header.charAt(i) == ' ' || header.charAt(i) == ',')) {
                i++;
            }
            int nameStart = i;
            while (i < n && header.charAt(i) != '=' && header.charAt(i) != ' ' && header.charAt(i) != ',') {
                i++;
            }
            String name = header.substring(nameStart, i).toLowerCase(Locale.ROOT);
            if (i >= n || header.charAt(i) != '=') {
                break; // the next scheme starts here, or the header is over
            }
            i++;
            StringBuilder value = new StringBuilder();
            if (i < n && header.charAt(i) == '"') {
                i++;
                while (i < n && header.charAt(i) != '"') {
                    char c = header.charAt(i++);
                    if (c == '\\' && i < n) {
                        c = header.charAt(i++);
                    }
                    value.append(c);
                }
                i++;
            } else {
                while (i < n && header.charAt(i) != ',' && header.charAt(i) != ' ') {
                    value.append(header.charAt(i++));
                }
            }
            params.put(name, value.toString());
        }
        return Optional.of(new BearerChallenge(Map.copyOf(params)));
    }

    private static int indexOfScheme(String header) {
        String lower = header.toLowerCase(Locale.ROOT);
        int at = 0;
        while ((at = lower.indexOf("bearer", at)) >= 0) {
            boolean startOk = at == 0 || lower.charAt(at - 1) == ' ' || lower.charAt(at - 1) == ',';
            boolean endOk = at + 6 == lower.length() || lower.charAt(at + 6) == ' ';
            if (startOk && endOk) {
                return at;
            }
            at += 6;
        }
        return -1;
    }

    public String error() {
        return params.get("error");
    }

    public String description() {
        return params.getOrDefault("error_description", "");
    }

    public String scope() {
        return params.get("scope");
    }
}
