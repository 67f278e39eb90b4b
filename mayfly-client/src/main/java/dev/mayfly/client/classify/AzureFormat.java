package dev.mayfly.client.classify;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.client.classify.AuthFailure.Format;
import dev.mayfly.client.classify.AuthFailure.Kind;
import dev.mayfly.client.classify.AuthFailure.Recovery;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Microsoft: Azure Resource Manager and Microsoft Graph errors ({@code {"error":{"code":"...","message":"..."}}}
 * with a string code), and Microsoft Entra token-endpoint errors (RFC 6749 §5.2 with {@code error_codes}
 * and {@code AADSTS<n>} in the description). ARM's expiry message carries the expiry time, which becomes
 * {@code expired_at}. CAE's {@code insufficient_claims} challenge is read by {@link BearerFormat}.
 *
 * <p>Key Vault answers in the same shape with the bare code {@code Unauthorized} and says why in the message
 * ("AKV10000: Request is missing a Bearer or PoP token", "AKV10022: Invalid audience", "[TokenExpired] Error
 * validating token", IDX10223, "Token not yet valid"): the words decide ({@link Wording}), else the token's
 * {@code exp}. Its {@code Forbidden} (and {@code ForbiddenBy...}) is a denial. Storage, Service Bus and Cosmos
 * DB answer in other shapes ({@link AzureStorageFormat}, {@link ServiceBusFormat}, {@link CosmosFormat}).
 */
final class AzureFormat implements Recognizer {
    private static final Pattern AADSTS = Pattern.compile("AADSTS(\\d{4,8})");

    private static final Map<String, Kind> ARM_CODES = Map.ofEntries(
            Map.entry("ExpiredAuthenticationToken", Kind.EXPIRED),
            Map.entry("InvalidAuthenticationTokenTokenExpired", Kind.EXPIRED),
            Map.entry("InvalidAuthenticationToken", Kind.INVALID),
            Map.entry("InvalidAuthenticationTokenAudience", Kind.INVALID),
            Map.entry("InvalidAuthenticationTokenTenant", Kind.INVALID),
            Map.entry("AuthenticationFailed", Kind.INVALID),
            Map.entry("AuthenticationFailedMissingToken", Kind.MISSING),
            Map.entry("AuthorizationFailed", Kind.DENIED),
            Map.entry("AuthorizationPermissionMismatch", Kind.DENIED),
            Map.entry("InsufficientAccountPermissions", Kind.DENIED),
            Map.entry("Authorization_RequestDenied", Kind.DENIED),
            Map.entry("LinkedAuthorizationFailed", Kind.DENIED),
            Map.entry("Forbidden", Kind.DENIED),
            Map.entry("ForbiddenByRbac", Kind.DENIED),
            Map.entry("ForbiddenByPolicy", Kind.DENIED),
            Map.entry("ForbiddenByConnection", Kind.DENIED),
            Map.entry("ForbiddenByFirewall", Kind.DENIED));

    /** Entra {@code AADSTS} numbers whose meaning differs from what the generic OAuth error implies. */
    private static final Map<Integer, Kind> AADSTS_CODES = Map.ofEntries(
            Map.entry(700082, Kind.EXPIRED),  // refresh token expired due to inactivity
            Map.entry(70008, Kind.EXPIRED),   // authorization code or refresh token expired
            Map.entry(700084, Kind.EXPIRED),  // refresh token issued to a SPA past its fixed lifetime
            Map.entry(50089, Kind.EXPIRED),   // flow token expired
            Map.entry(50173, Kind.REVOKED),   // grant revoked (credentials changed)
            Map.entry(50133, Kind.REVOKED),   // session invalid after a password change or expiry
            Map.entry(7000222, Kind.EXPIRED), // the client secret itself expired
            Map.entry(7000215, Kind.INVALID), // wrong client secret
            Map.entry(50076, Kind.DENIED),    // MFA required
            Map.entry(50079, Kind.DENIED),    // MFA enrollment required
            Map.entry(65001, Kind.DENIED));   // consent missing

    @Override
    public AuthFailure.Builder recognize(ResponseView r) {
        JsonNode json = r.json();
        if (json == null) {
            return null;
        }
        JsonNode error = json.get("error");
        if (error != null && error.isObject()) {
            for (Challenge c : r.challenges()) {
                if ("insufficient_claims".equals(c.param("error"))) {
                    return null; // CAE: the challenge, not the body, says what happened (BearerFormat)
                }
            }
            return arm(r, error);
        }
        if (error != null && error.isTextual()) {
            return entra(json);
        }
        return null;
    }

    private AuthFailure.Builder arm(ResponseView r, JsonNode error) {
        JsonNode codeNode = error.get("code");
        if (codeNode == null || !codeNode.isTextual()) {
            return null; // Google's error object carries a numeric code
        }
        String code = codeNode.asText();
        String message = ResponseView.text(error, "message");
        if (code.equals("Unauthorized")) {
            return CredentialRejected.byExpiry(r, Format.AZURE, code, message);
        }
        Kind kind = ARM_CODES.get(code);
        if (kind == null) {
            if (!code.equals("TooManyRequests") && !code.equals("RequestThrottled")) {
                return null;
            }
            kind = Kind.RATE_LIMITED;
        }
        if (kind == Kind.INVALID && ResponseView.saysExpired(message)) {
            kind = Kind.EXPIRED; // Graph: "Access token has expired or is not yet valid."
        }
        AuthFailure.Builder b = AuthFailure.builder(kind, Format.AZURE).code(code).message(message);
        if (kind == Kind.EXPIRED) {
            b.expiredAt(StatedExpiry.in(message).orElse(r.sentExpiry()));
        }
        return b;
    }

    private AuthFailure.Builder entra(JsonNode json) {
        String description = ResponseView.text(json, "error_description");
        Integer number = null;
        JsonNode codes = json.get("error_codes");
        if (codes != null && codes.isArray() && codes.size() > 0 && codes.get(0).canConvertToInt()) {
            number = codes.get(0).asInt();
        } else if (description != null) {
            Matcher m = AADSTS.matcher(description);
            if (m.find()) {
                number = Integer.parseInt(m.group(1));
            }
        }
        if (number == null) {
            return null;
        }
        Kind kind = AADSTS_CODES.get(number);
        if (kind == null) {
            return null; // the generic OAuth reading applies
        }
        AuthFailure.Builder b = AuthFailure.builder(kind, Format.AZURE).code("AADSTS" + number).message(description);
        if (number == 7000222 || number == 7000215) {
            return b.recovery(Recovery.REPLACE_CREDENTIAL).retryable(false);
        }
        if (kind == Kind.EXPIRED || kind == Kind.REVOKED) {
            b.recovery(Recovery.LOG_IN);
        }
        return b;
    }
}
