package dev.mayfly.server.console;

import dev.mayfly.server.http.HttpExchange;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The console's two cookies. {@value #TOKEN} holds the console session's access token: HttpOnly (no script
 * reads it), {@code SameSite=Strict} (no other site's page sends it), {@code Secure} over TLS. {@value #CSRF}
 * holds the session's CSRF token, readable by the page's own script, which echoes it in {@value #CSRF_HEADER}
 * on every write (double submit): another origin can neither read it nor set the header.
 */
public final class ConsoleCookies {
    public static final String TOKEN = "mayfly_console";
    public static final String CSRF = "mayfly_console_csrf";
    public static final String CSRF_HEADER = "X-Mayfly-CSRF";

    private ConsoleCookies() {
    }

    /** The request's cookies, name to value (the first of a name wins). */
    static Map<String, String> of(HttpExchange ex) {
        String header = ex.header("Cookie");
        Map<String, String> out = new LinkedHashMap<>();
        if (header == null) {
            return out;
        }
        for (String pair : header.split(";")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.putIfAbsent(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
            }
        }
        return out;
    }

    /** Sets the token cookie (HttpOnly) and, when {@code csrf} is not null, the CSRF cookie, both for {@code maxAge}. */
    public static void set(HttpExchange ex, String token, String csrf, Duration maxAge) {
        ex.addHeader("Set-Cookie", cookie(ex, TOKEN, token, maxAge.toSeconds()) + "; HttpOnly");
        if (csrf != null) {
            ex.addHeader("Set-Cookie", cookie(ex, CSRF, csrf, maxAge.toSeconds()));
        }
    }

    /** Clears both cookies (logout, or a cookie the broker refused). */
    public static void clear(HttpExchange ex) {
        ex.addHeader("Set-Cookie", cookie(ex, TOKEN, "", 0) + "; HttpOnly");
        ex.addHeader("Set-Cookie", cookie(ex, CSRF, "", 0));
    }

    private static String cookie(HttpExchange ex, String name, String value, long maxAgeSeconds) {
        // Path=/ because the console reads the /v1 API with it; SameSite=Strict keeps it off cross-site requests.
        return name + "=" + value + "; Path=/; Max-Age=" + Math.max(0, maxAgeSeconds) + "; SameSite=Strict"
                + (ex.secure() ? "; Secure" : "");
    }
}
