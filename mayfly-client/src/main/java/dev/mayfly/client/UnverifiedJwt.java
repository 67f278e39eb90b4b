package dev.mayfly.client;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.mayfly.core.json.Json;
import dev.mayfly.core.token.ClaimNames;
import dev.mayfly.core.token.Scopes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a JWT (RFC 7519, RFC 9068 access token) says about itself, read <b>without</b> verifying its
 * signature: good for display, for scheduling a refresh of one's own token, for telling a server's expiry
 * answer from a denial, and for building a recovery hint; never for deciding what a token may do (the
 * broker and verifiers decide that). The one unverified reader of the client and the CLI. Immutable.
 */
public final class UnverifiedJwt {
    /** A payload beyond this is not parsed: access tokens are small, and a reader must not be a parser DoS. */
    static final int MAX_PART = 16_384;
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };

    private final Map<String, Object> header;
    private final Map<String, Object> claims;

    private UnverifiedJwt(Map<String, Object> header, Map<String, Object> claims) {
        this.header = header;
        this.claims = claims;
    }

    /** Empty when the string is not three base64url parts whose first two are JSON objects. */
    public static Optional<UnverifiedJwt> read(String compact) {
        if (compact == null) {
            return Optional.empty();
        }
        String[] parts = compact.trim().split("\\.", -1);
        if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty()
                || parts[0].length() > MAX_PART || parts[1].length() > MAX_PART) {
            return Optional.empty();
        }
        try {
            Base64.Decoder d = Base64.getUrlDecoder();
            Map<String, Object> header = Json.mapper().readValue(d.decode(parts[0]), MAP);
            Map<String, Object> claims = Json.mapper().readValue(d.decode(parts[1]), MAP);
            if (header == null || claims == null) {
                return Optional.empty();
            }
            return Optional.of(new UnverifiedJwt(Map.copyOf(withoutNulls(header)), Map.copyOf(withoutNulls(claims))));
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    private static Map<String, Object> withoutNulls(Map<String, Object> m) {
        m.values().removeIf(v -> v == null);
        return m;
    }

    public Map<String, Object> header() {
        return header;
    }

    public Map<String, Object> claims() {
        return claims;
    }

    /** {@code exp}, or null. */
    public Instant expiresAt() {
        return instant(ClaimNames.EXPIRES);
    }

    /** {@code iat}, or null. */
    public Instant issuedAt() {
        return instant(ClaimNames.ISSUED_AT);
    }

    public String jti() {
        return text(ClaimNames.JWT_ID);
    }

    public String subject() {
        return text(ClaimNames.SUBJECT);
    }

    public String issuer() {
        return text(ClaimNames.ISSUER);
    }

    public String sessionId() {
        return text(ClaimNames.SESSION);
    }

    public String taskId() {
        return text(ClaimNames.TASK);
    }

    public String clientId() {
        return text(ClaimNames.CLIENT_ID);
    }

    public String tier() {
        return text(ClaimNames.TIER);
    }

    public List<String> scopes() {
        return Scopes.parse(text(ClaimNames.SCOPE));
    }

    /** The RFC 9449 {@code cnf.jkt}: the thumbprint of the DPoP key the token is bound to, or {@code null}. */
    public String boundKey() {
        Object cnf = claims.get(ClaimNames.CONFIRMATION);
        Object jkt = cnf instanceof Map<?, ?> m ? m.get(ClaimNames.JWK_THUMBPRINT) : null;
        return jkt instanceof String s ? s : null;
    }

    /** {@code aud} as a list, whether it was a string or an array. */
    public List<String> audience() {
        Object aud = claims.get(ClaimNames.AUDIENCE);
        List<String> out = new ArrayList<>();
        if (aud instanceof Collection<?> c) {
            c.forEach(a -> out.add(String.valueOf(a)));
        } else if (aud != null) {
            out.add(String.valueOf(aud));
        }
        return List.copyOf(out);
    }

    private String text(String name) {
        Object v = claims.get(name);
        return v == null ? null : String.valueOf(v);
    }

    private Instant instant(String name) {
        Object v = claims.get(name);
        return v instanceof Number n ? Instant.ofEpochSecond(n.longValue()) : null;
    }

    @Override
    public String toString() {
        return "UnverifiedJwt[jti=" + jti() + ", exp=" + expiresAt() + "]";
    }
}
