package dev.mayfly.verifier;

import dev.mayfly.core.error.MayflyError;
import java.util.Locale;

/** Extracts a DPoP-bound access token from an {@code Authorization: DPoP <token>} header value (RFC 9449 §7.1). */
public final class DpopTokens {
    /** The authentication scheme of RFC 9449 §7.1. */
    public static final String SCHEME = "DPoP";
    /** Error detail marking a rejection of a DPoP presentation: its challenge is {@code WWW-Authenticate: DPoP}. */
    static final String DETAIL_SCHEME = "auth_scheme";

    private DpopTokens() {
    }

    /** The token, or {@code null} when the header is absent or not a DPoP credential. */
    public static String fromAuthorizationHeader(String header) {
        if (header == null) {
            return null;
        }
        String h = header.trim();
        if (h.length() < 5 || !h.substring(0, 5).toLowerCase(Locale.ROOT).equals("dpop ")) {
            return null;
        }
        String token = h.substring(5).trim();
        return token.isEmpty() ? null : token;
    }

    /** The error marked as a DPoP presentation's, so its challenge uses the DPoP scheme. */
    static MayflyError.Builder tagged(MayflyError.Builder error) {
        return error.detail(DETAIL_SCHEME, SCHEME);
    }
}
