package dev.mayfly.client.classify;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.client.classify.AuthFailure.Format;
import dev.mayfly.client.classify.AuthFailure.Kind;
import dev.mayfly.client.classify.AuthFailure.Recovery;
import dev.mayfly.core.error.ErrorCode;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Mayfly's own errors: the {@code /v1} envelope ({@code {"ok":false,"error":{"code":...}}}, DESIGN §3.2)
 * and the {@code /oauth/*} form (RFC 6749 §5.2 {@code error} plus Mayfly's {@code code} beside it). The
 * catalog code decides the kind; {@code reauth_command} decides between refreshing and logging in again.
 */
final class MayflyFormat implements Recognizer {
    static final String REFRESH = "mayfly auth refresh";
    static final String LOGIN = "mayfly auth login";

    @Override
    public AuthFailure.Builder recognize(ResponseView r) {
        JsonNode json = r.json();
        if (json == null) {
            return null;
        }
        JsonNode error = json.get("error");
        JsonNode fields;
        if (error != null && error.isObject() && json.has("ok")) {
            fields = error; // the envelope
        } else if (error != null && error.isTextual() && json.has("code")) {
            fields = json; // OAuth error with Mayfly's fields beside it
        } else {
            return null;
        }
        ErrorCode code = catalogCode(ResponseView.text(fields, "code"));
        if (code == null) {
            return null;
        }
        String reauth = ResponseView.text(fields, "reauth_command");
        AuthFailure.Builder b = AuthFailure.builder(kindOf(code), Format.MAYFLY)
                .code(code.name())
                .message(ResponseView.firstNonBlank(ResponseView.text(fields, "message"),
                        ResponseView.text(fields, "error_description")).orElse(null))
                .reauthCommand(reauth)
                .requiredScope(ResponseView.text(fields, "required_scope"))
                .missingScopes(strings(fields.get("missing_scopes")));
        String expiredAt = ResponseView.text(fields, "expired_at");
        if (expiredAt != null) {
            try {
                b.expiredAt(Instant.parse(expiredAt));
            } catch (DateTimeParseException e) {
                // keep classifying; the token's own exp may still supply it
            }
        }
        JsonNode retryAfterMs = fields.get("retry_after_ms");
        if (retryAfterMs != null && retryAfterMs.canConvertToLong()) {
            b.retryAfter(Duration.ofMillis(retryAfterMs.asLong()));
        }
        b.recovery(recovery(code, reauth));
        b.retryable(code == ErrorCode.TIMEOUT || code.retryable());
        return b;
    }

    private static Recovery recovery(ErrorCode code, String reauth) {
        switch (code) {
            case CREDENTIALS_EXPIRED:
                return LOGIN.equals(reauth) ? Recovery.LOG_IN : Recovery.REFRESH;
            case CREDENTIALS_REVOKED:
                if (REFRESH.equals(reauth)) {
                    return Recovery.REFRESH;
                }
                return LOGIN.equals(reauth) ? Recovery.LOG_IN : Recovery.STOP;
            case CREDENTIALS_INVALID:
                return LOGIN.equals(reauth) ? Recovery.LOG_IN : Recovery.REPLACE_CREDENTIAL;
            case CREDENTIALS_MISSING:
                return Recovery.ATTACH_CREDENTIAL;
            case PERMISSION_DENIED:
                return Recovery.REQUEST_PERMISSION;
            case RATE_LIMITED:
            case UNAVAILABLE:
            case TIMEOUT:
                return Recovery.RETRY_LATER;
            default:
                return Recovery.STOP;
        }
    }

    private static Kind kindOf(ErrorCode code) {
        switch (code) {
            case CREDENTIALS_EXPIRED: return Kind.EXPIRED;
            case CREDENTIALS_REVOKED: return Kind.REVOKED;
            case CREDENTIALS_INVALID: return Kind.INVALID;
            case CREDENTIALS_MISSING: return Kind.MISSING;
            case PERMISSION_DENIED: return Kind.DENIED;
            case RATE_LIMITED: return Kind.RATE_LIMITED;
            case UNAVAILABLE:
            case TIMEOUT:
                return Kind.UNAVAILABLE;
            default:
                return Kind.UNKNOWN;
        }
    }

    private static ErrorCode catalogCode(String name) {
        if (name == null) {
            return null;
        }
        for (ErrorCode c : ErrorCode.values()) {
            if (c.name().equals(name)) {
                return c;
            }
        }
        return null;
    }

    static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        if (array != null && array.isArray()) {
            array.forEach(n -> {
                if (n.isTextual()) {
                    out.add(n.asText());
                }
            });
        }
        return out;
    }
}
