package dev.mayfly.scanner.rules;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.core.json.Json;
import dev.mayfly.core.token.ClaimNames;
import java.io.IOException;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;

/**
 * Decodes a compact JWS (RFC 7515 §7.1) far enough to tell a real token from a look-alike: three
 * base64url parts, a JSON object header with {@code alg}, a JSON object payload, a non-empty signature.
 * The signature is not verified (the scanner has no keys); HMAC tokens count like any other.
 */
final class JwtInspector {
    private JwtInspector() {
    }

    /** What the scanner reads from a token's header and payload. */
    static final class Jwt {
        final String alg;
        final String typ;
        final String iss;

        Jwt(String alg, String typ, String iss) {
            this.alg = alg;
            this.typ = typ;
            this.iss = iss;
        }
    }

    static Optional<Jwt> parse(String token) {
        int d1 = token.indexOf('.');
        int d2 = d1 < 0 ? -1 : token.indexOf('.', d1 + 1);
        if (d1 <= 0 || d2 <= d1 + 1 || d2 >= token.length() - 1 || token.indexOf('.', d2 + 1) >= 0) {
            return Optional.empty();
        }
        JsonNode header = decodeObject(token.substring(0, d1));
        JsonNode payload = decodeObject(token.substring(d1 + 1, d2));
        if (header == null || payload == null || !header.path("alg").isTextual()) {
            return Optional.empty();
        }
        String alg = header.get("alg").asText();
        if (alg.equalsIgnoreCase("none")) {
            return Optional.empty();
        }
        String typ = header.path("typ").isTextual() ? header.get("typ").asText() : null;
        String iss = payload.path(ClaimNames.ISSUER).isTextual() ? payload.get(ClaimNames.ISSUER).asText() : null;
        return Optional.of(new Jwt(alg, typ, iss));
    }

    /**
     * A Mayfly access token (DESIGN §3.3): {@code typ} {@code at+jwt} (RFC 9068 §2.1, also in its
     * {@code application/} form) and an {@code iss}; when an issuer is configured, that issuer.
     */
    static boolean isMayfly(Jwt jwt, String issuer) {
        if (jwt.typ == null || jwt.iss == null || jwt.iss.isEmpty()) {
            return false;
        }
        String typ = jwt.typ.toLowerCase(Locale.ROOT);
        if (!typ.equals(ClaimNames.TYPE) && !typ.equals("application/" + ClaimNames.TYPE)) {
            return false;
        }
        return issuer == null || trimSlash(issuer).equals(trimSlash(jwt.iss));
    }

    private static String trimSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    private static JsonNode decodeObject(String part) {
        try {
            String p = part;
            while (p.endsWith("=")) {
                p = p.substring(0, p.length() - 1);
            }
            byte[] bytes = Base64.getUrlDecoder().decode(p);
            JsonNode node = Json.mapper().readTree(bytes);
            return node != null && node.isObject() ? node : null;
        } catch (IllegalArgumentException | IOException e) {
            return null;
        }
    }
}
