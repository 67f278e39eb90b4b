package dev.mayfly.verifier;

import java.util.Locale;

/** Extracts a bearer token from an {@code Authorization} header value (RFC 6750 §2.1). */
public final class BearerTokens {
    private BearerTokens() {
    }

    /** The token, or {@code null} when the header is absent or not a Bearer credential. */
    public static String fromAuthorizationHeader(String header) {
        if (header == null) {
            return null;
        }
        String h = header.trim();
        if (h.length() < 7 || !h.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
            return null;
        }
        String token = h.substring(7).trim();
        return token.isEmpty() ? null : token;
    }
}
