package dev.mayfly.cli.broker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyError;
import dev.mayfly.core.json.Json;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads an error that arrived as JSON back into a {@link MayflyError}: the {@code error} object of an
 * envelope, or an RFC 6749 error body with Mayfly's fields beside it. Fields the catalog knows go to their
 * places; any others are kept as details, so nothing the broker said to the agent is lost.
 */
public final class WireErrors {
    /** Spellings other agent CLIs use for the same outcomes (CLI Agent Spec §53 workaround lists). */
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

    private WireErrors() {
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

    /** True when the node carries a catalog {@code code} (an envelope error or a Mayfly OAuth error). */
    public static boolean hasCode(JsonNode node) {
        return node != null && node.isObject() && node.path("code").isTextual();
    }

    public static MayflyError fromWire(JsonNode e, ErrorCode fallback) {
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

    /** An RFC 6749 §5.2 error without Mayfly's {@code code}: the closest catalog entry. */
    public static ErrorCode fromOAuthError(String oauthError) {
        switch (oauthError == null ? "" : oauthError) {
            case "invalid_client":
            case "invalid_grant":
            case "invalid_token":
                return ErrorCode.CREDENTIALS_INVALID;
            case "invalid_scope":
            case "invalid_target":
            case "insufficient_scope":
            case "unauthorized_client":
            case "access_denied":
                return ErrorCode.PERMISSION_DENIED;
            case "slow_down":
                return ErrorCode.RATE_LIMITED;
            case "temporarily_unavailable":
                return ErrorCode.UNAVAILABLE;
            case "invalid_request":
            case "unsupported_grant_type":
            case "unsupported_token_type":
                return ErrorCode.USAGE;
            default:
                return ErrorCode.INTERNAL;
        }
    }
}
