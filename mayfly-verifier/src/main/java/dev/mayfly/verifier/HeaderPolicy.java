package dev.mayfly.verifier;

import com.nimbusds.jose.JWSAlgorithm;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Checks the JOSE header of an access token before any key is looked up: the algorithm is on the
 * allow-list (RFC 8725 §3.1), the type is {@code at+jwt} (RFC 9068 §4 step 1, RFC 8725 §3.11), no header
 * names a key or key location the verifier would have to trust ({@code jku}, {@code x5u}, {@code jwk},
 * {@code x5c}; RFC 7515 §4.1.2–4.1.6), no critical extension is demanded ({@code crit}, {@code b64};
 * RFC 7515 §4.1.11, RFC 7797), the payload is the claims themselves and not a nested JWT or compressed
 * data ({@code cty}, RFC 7519 §5.2; {@code zip} and {@code enc}, JWE-only headers of RFC 7516 §4.1.2–4.1.3,
 * whose presence makes the object a JWE, RFC 7516 §9), and a
 * {@code kid} says which published key to use. Immutable.
 */
final class HeaderPolicy {
    /** The algorithms this verifier can check, with the key family each needs. */
    private static final Set<JWSAlgorithm> SUPPORTED = Set.of(
            JWSAlgorithm.EdDSA, JWSAlgorithm.Ed25519,
            JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
            JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512);

    private static final List<String> FORBIDDEN = List.of("jku", "x5u", "jwk", "x5c", "crit", "b64", "cty", "zip", "enc");

    private final Map<String, JWSAlgorithm> allowed;

    /**
     * @throws IllegalArgumentException for {@code none}, any HMAC algorithm, or an algorithm this verifier
     *                                  cannot check; a verifier holding public keys must never accept those
     */
    HeaderPolicy(Collection<String> algorithms) {
        if (algorithms.isEmpty()) {
            throw new IllegalArgumentException("at least one algorithm must be accepted");
        }
        Map<String, JWSAlgorithm> m = new LinkedHashMap<>();
        for (String name : algorithms) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.equals("none") || lower.startsWith("hs")) {
                throw new IllegalArgumentException("algorithm " + name
                        + " is never accepted: a verifier of public-key signatures must refuse none and HMAC");
            }
            JWSAlgorithm alg = SUPPORTED.stream().filter(a -> a.getName().equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unsupported algorithm " + name
                            + "; supported: EdDSA, Ed25519, RS256, RS384, RS512, PS256, PS384, PS512"));
            m.put(name, alg);
        }
        this.allowed = Map.copyOf(m);
    }

    /** The algorithm and key id of an acceptable header. */
    CheckedHeader check(Map<String, Object> header) throws Rejection {
        JWSAlgorithm alg = header.get("alg") instanceof String name ? allowed.get(name) : null;
        if (alg == null) {
            throw Reason.ALGORITHM_NOT_ALLOWED.reject();
        }
        if (!isAccessTokenType(header.get("typ"))) {
            throw Reason.WRONG_TYPE.reject();
        }
        for (String name : FORBIDDEN) {
            if (header.containsKey(name)) {
                throw Reason.FORBIDDEN_HEADER.reject();
            }
        }
        if (!(header.get("kid") instanceof String kid) || kid.isEmpty()) {
            throw Reason.NO_KEY_ID.reject();
        }
        return new CheckedHeader(alg, kid);
    }

    /** RFC 9068 §2.1: {@code at+jwt}, compared case-insensitively, with or without the {@code application/} prefix. */
    private static boolean isAccessTokenType(Object typ) {
        if (!(typ instanceof String s)) {
            return false;
        }
        String t = s.toLowerCase(Locale.ROOT);
        return t.equals("at+jwt") || t.equals("application/at+jwt");
    }

    /** A header that passed: the algorithm to verify with and the key to verify against. */
    record CheckedHeader(JWSAlgorithm algorithm, String keyId) {
    }
}
