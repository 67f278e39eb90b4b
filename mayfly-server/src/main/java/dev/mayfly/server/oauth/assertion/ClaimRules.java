package dev.mayfly.server.oauth.assertion;

import java.util.Map;

/**
 * Matches a federated assertion's claims against an agent's rules (NAME=VALUE, all must hold). A NAME is a
 * top-level claim ({@code sub}, {@code repository}, {@code ref}...) or a path into nested objects with
 * {@code /} between members ({@code kubernetes.io/namespace}, {@code kubernetes.io/serviceaccount/name}): claim
 * names may hold dots, so dots cannot separate. Two short names read Kubernetes service-account tokens: when the
 * token has no top-level claim of that name, {@code namespace} is {@code kubernetes.io/namespace} and
 * {@code serviceaccount} is {@code kubernetes.io/serviceaccount/name}. A VALUE matches a string claim equal to
 * it, or a number or boolean whose JSON text equals it; arrays and objects match nothing. Stateless.
 */
public final class ClaimRules {
    private static final Map<String, String> KUBERNETES_SHORT_NAMES = Map.of(
            "namespace", "kubernetes.io/namespace",
            "serviceaccount", "kubernetes.io/serviceaccount/name");

    private ClaimRules() {
    }

    /** The name of the first rule the claims fail, or null when all hold. */
    static String firstMismatch(Map<String, String> rules, Map<String, Object> claims) {
        for (Map.Entry<String, String> rule : rules.entrySet()) {
            Object value = resolve(rule.getKey(), claims);
            if (!matches(value, rule.getValue())) {
                return rule.getKey();
            }
        }
        return null;
    }

    /** The claim a rule name reads, or null when absent. */
    public static Object resolve(String name, Map<String, Object> claims) {
        if (claims.containsKey(name)) {
            return claims.get(name);
        }
        String path = KUBERNETES_SHORT_NAMES.getOrDefault(name, name);
        Object node = claims;
        for (String member : path.split("/", -1)) {
            if (!(node instanceof Map)) {
                return null;
            }
            node = ((Map<?, ?>) node).get(member);
        }
        return node;
    }

    /** Whether a rule name is well-formed: non-empty path members of printable ASCII, no '='. */
    public static boolean isValidName(String name) {
        if (name == null || name.isEmpty() || name.length() > 200) {
            return false;
        }
        for (String member : name.split("/", -1)) {
            if (member.isEmpty() || !member.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != '=')) {
                return false;
            }
        }
        return true;
    }

    private static boolean matches(Object claim, String expected) {
        if (claim instanceof String) {
            return claim.equals(expected);
        }
        if (claim instanceof Number || claim instanceof Boolean) {
            return String.valueOf(claim).equals(expected);
        }
        return false; // absent, null, array, object
    }
}
