package dev.mayfly.client.classify;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyError;
import dev.mayfly.core.error.MayflyException;
import dev.mayfly.core.json.Json;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLException;

/**
 * One failed answer as one catalog error, for tools that report it as it came (the {@code mayfly} CLI):
 *
 * <ol>
 *   <li>An error that arrived in Mayfly's own form is taken at its word, field for field: the {@code error}
 *       object of the envelope, or an RFC 6749 error body with Mayfly's {@code code} beside it. Fields the
 *       catalog knows go to their places, the OAuth {@code error} is kept as the {@code oauth_error} detail,
 *       any others are kept as details, so nothing the broker said is lost. Spellings other agent CLIs use
 *       ({@code TOKEN_EXPIRED}, {@code FORBIDDEN}...) map to their catalog codes.</li>
 *   <li>Any other error status is read by the {@link AuthFailureClassifier} (RFC 6750/9449 challenges,
 *       OAuth bodies, the big providers' formats, the sent token's own {@code exp}).</li>
 *   <li>A status below 400 (a redirect, never followed with a bearer token) maps by status.</li>
 * </ol>
 *
 * Stateless and thread-safe.
 */
public final class BrokerErrors {
    /** Spellings other agent CLIs use for the same outcomes. */
    private static final Map<String, ErrorCode> ALIASES = Map.of(
            "TOKEN_EXPIRED", ErrorCode.CREDENTIALS_EXPIRED,
            "AUTH_EXPIRED", ErrorCode.CREDENTIALS_EXPIRED,
            "FORBIDDEN", ErrorCode.PERMISSION_DENIED,
            "TOKEN_INVALID", ErrorCode.CREDENTIALS_INVALID,
            "TOKEN_MISSING", ErrorCode.CREDENTIALS_MISSING,
            "UNAUTHENTICATED", ErrorCode.CREDENTIALS_MISSING);
    private static final Set<String> PLACED = Set.of("code", "message", "error", "error_description", "expired",
            "expired_at", "retryable", "reauth_command", "reauth_env_var", "required_scope", "missing_scopes",
            "retry_after_ms");

    private BrokerErrors() {
    }

    /**
     * @param status  the HTTP status
     * @param headers the response headers
     * @param body    the body as text, or null
     * @param sent    what the client knows of the credential it sent
     * @param clock   the clock the sent token's {@code exp} is compared with
     * @param target  what was called, for the message (an origin, never a URL with a query)
     */
    public static MayflyError read(int status, HttpHeaders headers, String body, SentCredential sent, Clock clock,
                                   String target) {
        JsonNode json = json(body);
        if (json != null && json.path("error").isObject() && hasCode(json.get("error"))) {
            return fromWire(json.get("error"), byStatus(status));
        }
        if (hasCode(json)) {
            return fromWire(json, byStatus(status));
        }
        if (status >= 400) {
            Optional<AuthFailure> f = AuthFailureClassifier.builder().clock(clock).build()
                    .classify(status, headers, body, sent);
            if (f.isPresent()) {
                return f.get().toError();
            }
        }
        return MayflyError.of(byStatus(status), "HTTP " + status + " from " + target + ".");
    }

    /**
     * A request that got no answer, as a catalog error whose message names the origin, never the request:
     * refused connection {@code UNAVAILABLE}, failed TLS handshake {@code PRECONDITION} (retrying will not
     * make the certificate trusted; {@code tlsHint} says what to set), timeout {@code TIMEOUT}, anything
     * else {@code UNAVAILABLE}.
     */
    public static MayflyException transportFailure(URI target, Throwable e, String tlsHint) {
        String origin = target.getScheme() + "://" + target.getAuthority();
        if (e instanceof HttpConnectTimeoutException || e instanceof ConnectException
                || (e != null && e.getCause() instanceof ConnectException)) {
            return new MayflyException(MayflyError.builder(ErrorCode.UNAVAILABLE,
                            "Cannot reach " + origin + " (is the broker running? set MAYFLY_URL or --url).")
                    .retryAfterMs(1000).build(), e);
        }
        if (causedBy(e, SSLException.class)) {
            return new MayflyException(MayflyError.of(ErrorCode.PRECONDITION, "The TLS handshake with " + origin
                    + " failed: is its certificate from a CA this machine trusts?"
                    + (tlsHint == null || tlsHint.isBlank() ? "" : " " + tlsHint)), e);
        }
        if (e instanceof HttpTimeoutException) {
            return new MayflyException(MayflyError.of(ErrorCode.TIMEOUT, origin + " did not answer in time."), e);
        }
        return new MayflyException(MayflyError.builder(ErrorCode.UNAVAILABLE,
                        "The connection to " + origin + " failed ("
                                + (e == null ? "no answer" : e.getClass().getSimpleName()) + ").")
                .retryAfterMs(1000).build(), e);
    }

    private static boolean causedBy(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    /** The catalog code for a wire name, including the common aliases. */
    public static Optional<ErrorCode> code(String name) {
        if (name == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(ErrorCode.valueOf(name));
        } catch (IllegalArgumentException e) {
            return Optional.ofNullable(ALIASES.get(name));
        }
    }

    private static JsonNode json(String body) {
        if (body == null || body.length() > ResponseView.MAX_BODY || !body.strip().startsWith("{")) {
            return null;
        }
        try {
            JsonNode n = Json.mapper().readTree(body);
            return n != null && n.isObject() ? n : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static boolean hasCode(JsonNode node) {
        return node != null && node.isObject() && node.path("code").isTextual();
    }

    static MayflyError fromWire(JsonNode e, ErrorCode fallback) {
        ErrorCode code = code(e.path("code").asText(null)).orElse(fallback);
        String message = e.path("message").isTextual() ? e.get("message").asText()
                : e.path("error_description").isTextual() ? e.get("error_description").asText()
                : code.meaning();
        MayflyError.Builder b = MayflyError.builder(code, message);
        if (e.path("expired_at").isTextual()) {
            try {
                b.expiredAt(Instant.parse(e.get("expired_at").asText()));
            } catch (DateTimeParseException ignored) {
                // An unreadable expiry time is dropped rather than invented.
            }
        }
        if (e.path("reauth_command").isTextual()) {
            b.reauthCommand(e.get("reauth_command").asText());
        }
        if (e.path("required_scope").isTextual()) {
            b.requiredScope(e.get("required_scope").asText());
        }
        if (e.path("missing_scopes").isArray()) {
            List<String> missing = new ArrayList<>();
            e.get("missing_scopes").forEach(n -> missing.add(n.asText()));
            b.missingScopes(missing);
        }
        if (e.path("retry_after_ms").canConvertToLong()) {
            b.retryAfterMs(e.get("retry_after_ms").asLong());
        }
        if (e.path("error").isTextual()) {
            b.detail("oauth_error", e.get("error").asText());
        }
        for (Map.Entry<String, JsonNode> f : e.properties()) {
            if (!PLACED.contains(f.getKey())) {
                b.detail(f.getKey(), Json.mapper().convertValue(f.getValue(), Object.class));
            }
        }
        return b.build();
    }

    static ErrorCode byStatus(int status) {
        switch (status) {
            case 400: return ErrorCode.USAGE;
            case 401: return ErrorCode.CREDENTIALS_INVALID;
            case 403: return ErrorCode.PERMISSION_DENIED;
            case 404: return ErrorCode.NOT_FOUND;
            case 408: case 504: return ErrorCode.TIMEOUT;
            case 409: return ErrorCode.CONFLICT;
            case 412: return ErrorCode.PRECONDITION;
            case 429: return ErrorCode.RATE_LIMITED;
            case 502: case 503: return ErrorCode.UNAVAILABLE;
            default: return status >= 400 && status < 500 ? ErrorCode.USAGE : ErrorCode.INTERNAL;
        }
    }
}
