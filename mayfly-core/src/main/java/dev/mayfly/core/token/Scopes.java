package dev.mayfly.core.token;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** OAuth scope strings (RFC 6749 §3.3): space-delimited, order-insensitive, duplicates ignored. */
public final class Scopes {
    private Scopes() {
    }

    public static List<String> parse(String scope) {
        if (scope == null || scope.isBlank()) {
            return List.of();
        }
        Set<String> out = new LinkedHashSet<>();
        for (String s : scope.trim().split("\\s+")) {
            out.add(s);
        }
        return List.copyOf(out);
    }

    public static String join(Collection<String> scopes) {
        return String.join(" ", scopes);
    }

    /** The scopes of {@code required} that {@code granted} lacks, in {@code required}'s order. */
    public static List<String> missing(Collection<String> granted, Collection<String> required) {
        return required.stream().filter(s -> !granted.contains(s)).distinct().toList();
    }

    /** True for a scope token as RFC 6749 allows: printable ASCII except space, {@code "} and {@code \}. */
    public static boolean isValidScopeToken(String s) {
        if (s.isEmpty() || s.length() > 200) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x21 || c > 0x7e || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }
}
