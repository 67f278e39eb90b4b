package dev.mayfly.verifier;

import dev.mayfly.core.error.MayflyError;
import java.util.Objects;

/**
 * Renders the {@code WWW-Authenticate} challenge of RFC 6750 §3 for an auth failure:
 *
 * <ul>
 *   <li>no credential: {@code Bearer realm="mayfly"}, no error attribute (§3.1);</li>
 *   <li>expired, revoked or invalid: {@code error="invalid_token"} with a short fixed
 *       {@code error_description} ({@code token expired}, {@code token revoked}, {@code token invalid});</li>
 *   <li>insufficient scope: {@code error="insufficient_scope"} and the required {@code scope} (§3.1).</li>
 * </ul>
 *
 * <p>Attribute values are quoted strings (RFC 7235 §2.1, RFC 7230 §3.2.6) restricted to the characters
 * RFC 6750 §3 allows; nothing from the presented token ever appears. Stateless.
 */
public final class BearerChallenge {
    /** The response header that carries the challenge (RFC 7235 §4.1). */
    public static final String HEADER = "WWW-Authenticate";
    public static final String DEFAULT_REALM = "mayfly";

    private BearerChallenge() {
    }

    /** The challenge for this error in realm {@value #DEFAULT_REALM}, or {@code null} when it is not an auth failure. */
    public static String render(MayflyError error) {
        return render(error, DEFAULT_REALM);
    }

    /** The challenge for this error, or {@code null} when it is not one of the five auth failures. */
    public static String render(MayflyError error, String realm) {
        Objects.requireNonNull(error, "error");
        String description = switch (error.code()) {
            case CREDENTIALS_MISSING -> null;
            case CREDENTIALS_EXPIRED -> "token expired";
            case CREDENTIALS_REVOKED -> "token revoked";
            case CREDENTIALS_INVALID -> "token invalid";
            case PERMISSION_DENIED -> "insufficient scope";
            default -> "";
        };
        if ("".equals(description)) {
            return null;
        }
        StringBuilder sb = new StringBuilder("Bearer ");
        attribute(sb, "realm", realm == null ? DEFAULT_REALM : realm);
        if (description != null) {
            attribute(sb, "error", error.code().bearerError());
            attribute(sb, "error_description", description);
        }
        if (error.requiredScope() != null && !error.requiredScope().isBlank()) {
            attribute(sb, "scope", error.requiredScope());
        }
        return sb.toString();
    }

    private static void attribute(StringBuilder sb, String name, String value) {
        if (sb.length() > "Bearer ".length()) {
            sb.append(", ");
        }
        sb.append(name).append("=\"").append(quote(value)).append('"');
    }

    /**
     * The value as the inside of a quoted-string: {@code "} and {@code \} backslash-escaped, anything outside
     * printable ASCII dropped (which also rules out header injection).
     */
    static String quote(String value) {
        StringBuilder sb = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                continue;
            }
            if (c == '"' || c == '\\') {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.toString();
    }
}
