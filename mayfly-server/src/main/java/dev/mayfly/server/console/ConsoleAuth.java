package dev.mayfly.server.console;

import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyError;
import dev.mayfly.core.error.MayflyException;
import dev.mayfly.server.http.HttpExchange;
import dev.mayfly.verifier.BearerTokens;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Set;

/**
 * The console's way into the {@code /v1} API, beside the bearer header: the token the request presents is the
 * {@code Authorization} header's when there is one, else the console cookie's. A cookie-borne write must come
 * from the console's own page: a same-origin {@code Origin} and the CSRF token echoed in its header. A request
 * that used the cookie has every string of its JSON answer redacted, since a person's browser shows it.
 * The token is then verified exactly like a bearer token (signature, expiry, revocation, scopes).
 */
public final class ConsoleAuth {
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD");

    private ConsoleAuth() {
    }

    /** The token the request presents, or null when it presents none (then the verifier says CREDENTIALS_MISSING). */
    public static String presentedToken(HttpExchange ex) {
        String authorization = ex.header("Authorization");
        if (authorization != null) {
            return BearerTokens.fromAuthorizationHeader(authorization);
        }
        String cookie = ConsoleCookies.of(ex).get(ConsoleCookies.TOKEN);
        if (cookie == null || cookie.isEmpty()) {
            return null;
        }
        if (!SAFE_METHODS.contains(ex.method())) {
            requireOwnPage(ex);
        }
        ex.redactResponses();
        return cookie;
    }

    /** A cookie-borne write: same origin, and the CSRF header equal to the CSRF cookie. */
    static void requireOwnPage(HttpExchange ex) {
        requireSameOriginRequest(ex);
        String expected = ConsoleCookies.of(ex).get(ConsoleCookies.CSRF);
        String given = ex.header(ConsoleCookies.CSRF_HEADER);
        if (expected == null || expected.isEmpty() || given == null
                || !MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8))) {
            throw denied("A console write needs the console's CSRF token in " + ConsoleCookies.CSRF_HEADER + ".");
        }
    }

    /**
     * The request's {@code Origin} is this broker's own: browsers send it on every POST, and a page of another
     * origin cannot forge it. Compared with the {@code Host} the request was sent to, in the scheme it came by.
     */
    public static void requireSameOriginRequest(HttpExchange ex) {
        String origin = ex.header("Origin");
        String host = ex.header("Host");
        String own = (ex.secure() ? "https://" : "http://") + (host == null ? "" : host.toLowerCase(Locale.ROOT));
        if (origin == null || host == null || !origin.toLowerCase(Locale.ROOT).equals(own)) {
            throw denied("A console request must come from the console's own page (same Origin).");
        }
        String site = ex.header("Sec-Fetch-Site");
        if (site != null && !site.equals("same-origin")) {
            throw denied("A console request must come from the console's own page (Sec-Fetch-Site: same-origin).");
        }
    }

    private static MayflyException denied(String message) {
        return new MayflyException(MayflyError.builder(ErrorCode.PERMISSION_DENIED, message).build());
    }
}
