package dev.mayfly.server.oauth;

import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyError;
import dev.mayfly.core.http.RetryAfter;
import dev.mayfly.server.http.ErrorRenderer;
import dev.mayfly.server.http.HttpExchange;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Renders failures at {@code /oauth/*} in RFC 6749 §5.2 form ({@code error}, {@code error_description})
 * with Mayfly's catalog fields beside them ({@code code}, {@code expired_at}, {@code reauth_command}...),
 * so a standard OAuth client and an agent both read what they need.
 */
public final class OAuthErrors {
    public static final ErrorRenderer RENDERER = OAuthErrors::render;

    private OAuthErrors() {
    }

    public static OAuthException invalidRequest(String message) {
        return new OAuthException("invalid_request", MayflyError.of(ErrorCode.USAGE, message));
    }

    static int statusOf(String oauthError, MayflyError error) {
        switch (oauthError) {
            case "invalid_client": return 401;
            case "temporarily_unavailable": return 503;
            case "server_error": return 500;
            case "slow_down": return 429;
            default: return 400;
        }
    }

    private static void render(HttpExchange ex, MayflyError error, Throwable failure) {
        String oauthError = failure instanceof OAuthException
                ? ((OAuthException) failure).oauthError()
                : defaultOAuthError(error.code());
        write(ex, oauthError, error);
    }

    private static void write(HttpExchange ex, String oauthError, MayflyError error) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", oauthError);
        body.put("error_description", error.message());
        body.putAll(error.toMap());
        body.remove("message");
        Map<String, String> headers = new LinkedHashMap<>();
        int status = statusOf(oauthError, error);
        if (status == 401) {
            headers.put("WWW-Authenticate", "Basic realm=\"mayfly\"");
        }
        RetryAfter.addTo(headers, error);
        Object nonce = error.details().get("dpop_nonce");
        if (nonce != null) {
            headers.put("DPoP-Nonce", nonce.toString()); // RFC 9449 §8: use_dpop_nonce hands out the nonce to use
        }
        ex.sendJson(status, body, headers);
    }

    private static String defaultOAuthError(ErrorCode code) {
        switch (code) {
            case CREDENTIALS_EXPIRED:
            case CREDENTIALS_REVOKED:
            case CREDENTIALS_INVALID:
                return "invalid_grant";
            case CREDENTIALS_MISSING:
                return "invalid_client";
            case PERMISSION_DENIED:
                return "invalid_scope";
            case UNAVAILABLE:
            case TIMEOUT:
                return "temporarily_unavailable";
            case RATE_LIMITED:
                return "slow_down";
            case USAGE:
            case PRECONDITION:
            case NOT_FOUND:
            case CONFLICT:
                return "invalid_request";
            default:
                return "server_error";
        }
    }
}
