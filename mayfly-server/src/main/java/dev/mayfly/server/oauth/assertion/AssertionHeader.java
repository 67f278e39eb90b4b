package dev.mayfly.server.oauth.assertion;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The JOSE header checks of a client assertion, before any key is looked up (RFC 8725 §3.1, §3.11): a
 * public-key signature algorithm (never {@code none}, never HMAC: an HMAC key would be a shared secret, the very
 * thing assertions replace), and no header that names a key or key location to trust ({@code jku}, {@code x5u},
 * {@code jwk}, {@code x5c}) or demands an extension ({@code crit}). Stateless.
 */
final class AssertionHeader {
    static final Set<JWSAlgorithm> ALLOWED = Set.of(
            JWSAlgorithm.EdDSA, JWSAlgorithm.Ed25519,
            JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512,
            JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
            JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512);
    private static final List<String> FORBIDDEN = List.of("jku", "x5u", "jwk", "x5c", "crit");

    private AssertionHeader() {
    }

    /** The parsed, signed JWT whose header passed. */
    static SignedJWT check(String assertion) {
        String alg = rawAlgorithm(assertion);
        String lower = alg.toLowerCase(Locale.ROOT);
        if (lower.equals("none")) {
            throw AssertionRefusal.because("alg none is never accepted; sign the assertion");
        }
        if (lower.startsWith("hs")) {
            throw AssertionRefusal.because("HMAC algorithms (HS256...) are not accepted; sign with a private key");
        }
        SignedJWT jwt;
        try {
            jwt = SignedJWT.parse(assertion);
        } catch (ParseException | RuntimeException e) {
            throw AssertionRefusal.because("malformed, not a signed JWT (RFC 7515 compact serialization)");
        }
        JWSHeader header = jwt.getHeader();
        if (!ALLOWED.contains(header.getAlgorithm())) {
            throw AssertionRefusal.because("alg " + printable(alg) + " is not accepted; use EdDSA, ES256/384/512, "
                    + "RS256/384/512 or PS256/384/512");
        }
        for (String name : FORBIDDEN) {
            if (header.toJSONObject().containsKey(name)) {
                throw AssertionRefusal.because("header " + name + " is not accepted (keys come from the issuer's "
                        + "JWKS or the agent's registration, never from the assertion)");
            }
        }
        return jwt;
    }

    /** The header's {@code alg} as written, read before full parsing so {@code none} gets its own message. */
    private static String rawAlgorithm(String assertion) {
        int dot = assertion.indexOf('.');
        if (dot <= 0) {
            throw AssertionRefusal.because("malformed, not a signed JWT (RFC 7515 compact serialization)");
        }
        try {
            var header = com.nimbusds.jose.util.JSONObjectUtils.parse(
                    new com.nimbusds.jose.util.Base64URL(assertion.substring(0, dot)).decodeToString());
            Object alg = header.get("alg");
            if (!(alg instanceof String)) {
                throw AssertionRefusal.because("the header has no alg");
            }
            return (String) alg;
        } catch (ParseException | RuntimeException e) {
            if (e instanceof dev.mayfly.server.oauth.OAuthException) {
                throw (dev.mayfly.server.oauth.OAuthException) e;
            }
            throw AssertionRefusal.because("malformed, not a signed JWT (RFC 7515 compact serialization)");
        }
    }

    /** An algorithm name fit to quote: short and plain, else a placeholder. */
    private static String printable(String alg) {
        return alg.length() <= 10 && alg.chars().allMatch(c -> c >= '0' && c <= 'z' && Character.isLetterOrDigit(c))
                ? alg : "(unrecognised)";
    }
}
