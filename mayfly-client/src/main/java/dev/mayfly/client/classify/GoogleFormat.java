package dev.mayfly.client.classify;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.client.classify.AuthFailure.Format;
import dev.mayfly.client.classify.AuthFailure.Kind;

/**
 * Google APIs (AIP-193): {@code {"error":{"code":401,"message":...,"status":"UNAUTHENTICATED",
 * "details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"ACCESS_TOKEN_EXPIRED",...}]}}}.
 * The {@code ErrorInfo} reason decides when present; else the canonical status: {@code UNAUTHENTICATED}
 * (401) is a credential problem whose cause the token's {@code exp} must settle, {@code PERMISSION_DENIED}
 * (403) a denial. The older {@code error.errors[].reason} form is read too, where a 403 may be a rate limit
 * ({@code rateLimitExceeded}), not a denial.
 */
final class GoogleFormat implements Recognizer {
    @Override
    public AuthFailure.Builder recognize(ResponseView r) {
        JsonNode json = r.json();
        JsonNode error = json == null ? null : json.get("error");
        if (error == null || !error.isObject() || !error.path("code").isInt()) {
            return null;
        }
        String status = ResponseView.text(error, "status");
        String message = ResponseView.text(error, "message");
        String reason = null;
        String permission = null;
        for (JsonNode d : error.path("details")) {
            if (ResponseView.contains(ResponseView.text(d, "@type"), "google.rpc.errorinfo")) {
                reason = ResponseView.text(d, "reason");
                permission = ResponseView.text(d.path("metadata"), "permission");
                break;
            }
        }
        String legacyReason = null;
        for (JsonNode e : error.path("errors")) {
            legacyReason = ResponseView.text(e, "reason");
            if (legacyReason != null) {
                break;
            }
        }
        if (reason != null) {
            AuthFailure.Builder b = byReason(r, reason, message);
            if (b != null) {
                return b.requiredScope(permission != null ? permission : scopeFromChallenge(r));
            }
        }
        if (legacyReason != null) {
            AuthFailure.Builder b = byLegacyReason(r, legacyReason, message);
            if (b != null) {
                return b;
            }
        }
        if (status == null) {
            return null;
        }
        switch (status) {
            case "UNAUTHENTICATED":
                return CredentialRejected.byExpiry(r, Format.GOOGLE, status, message);
            case "PERMISSION_DENIED":
                return AuthFailure.builder(Kind.DENIED, Format.GOOGLE).code(status).message(message)
                        .requiredScope(permission != null ? permission : scopeFromChallenge(r));
            case "RESOURCE_EXHAUSTED":
                return AuthFailure.builder(Kind.RATE_LIMITED, Format.GOOGLE).code(status).message(message);
            case "UNAVAILABLE":
                return AuthFailure.builder(Kind.UNAVAILABLE, Format.GOOGLE).code(status).message(message);
            default:
                return null;
        }
    }

    private static AuthFailure.Builder byReason(ResponseView r, String reason, String message) {
        switch (reason) {
            case "ACCESS_TOKEN_EXPIRED":
                return AuthFailure.builder(Kind.EXPIRED, Format.GOOGLE).code(reason).message(message)
                        .expiredAt(r.sentExpiry());
            case "CREDENTIALS_MISSING":
                return AuthFailure.builder(Kind.MISSING, Format.GOOGLE).code(reason).message(message);
            case "ACCESS_TOKEN_TYPE_UNSUPPORTED":
            case "API_KEY_INVALID":
            case "SERVICE_ACCOUNT_TOKEN_INVALID":
                return AuthFailure.builder(Kind.INVALID, Format.GOOGLE).code(reason).message(message);
            case "ACCESS_TOKEN_SCOPE_INSUFFICIENT":
            case "IAM_PERMISSION_DENIED":
                return AuthFailure.builder(Kind.DENIED, Format.GOOGLE).code(reason).message(message);
            case "RATE_LIMIT_EXCEEDED":
            case "RESOURCE_QUOTA_EXCEEDED":
                return AuthFailure.builder(Kind.RATE_LIMITED, Format.GOOGLE).code(reason).message(message);
            default:
                return null;
        }
    }

    private static AuthFailure.Builder byLegacyReason(ResponseView r, String reason, String message) {
        switch (reason) {
            case "authError":
                return CredentialRejected.byExpiry(r, Format.GOOGLE, reason, message);
            case "required":
                return r.status() == 401 ? AuthFailure.builder(Kind.MISSING, Format.GOOGLE).code(reason).message(message) : null;
            case "rateLimitExceeded":
            case "userRateLimitExceeded":
            case "quotaExceeded":
                return AuthFailure.builder(Kind.RATE_LIMITED, Format.GOOGLE).code(reason).message(message);
            case "insufficientPermissions":
            case "forbidden":
                return AuthFailure.builder(Kind.DENIED, Format.GOOGLE).code(reason).message(message)
                        .requiredScope(scopeFromChallenge(r));
            default:
                return null;
        }
    }

    private static String scopeFromChallenge(ResponseView r) {
        for (Challenge c : r.challenges()) {
            if (c.param("scope") != null) {
                return c.param("scope");
            }
        }
        return null;
    }
}
