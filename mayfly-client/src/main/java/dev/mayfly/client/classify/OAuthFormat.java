package dev.mayfly.client.classify;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.client.classify.AuthFailure.Format;
import dev.mayfly.client.classify.AuthFailure.Kind;
import dev.mayfly.client.classify.AuthFailure.Recovery;

/**
 * RFC 6749 §5.2 token-endpoint errors ({@code {"error":"invalid_grant","error_description":...}}), plus the
 * codes later specifications add to the same place: RFC 8693/8707 {@code invalid_target}, RFC 8628
 * {@code expired_token}, RFC 9449 {@code use_dpop_nonce}/{@code invalid_dpop_proof}, and RFC 6750's codes
 * when a resource server puts them in the body.
 *
 * <p>{@code invalid_grant} means the grant (refresh token, code, session) is over, whatever the reason:
 * the recovery is to log in again. The description's words decide the kind ("expired"/"not active" is
 * expiry, as Keycloak's "Token is not active" is; Okta's "invalid or expired" names two causes, so it stays
 * {@code INVALID}). An {@code invalid_request} on a 401 whose description says the token is missing (Kong's
 * "The access token is missing") is {@code MISSING}.
 */
final class OAuthFormat implements Recognizer {
    @Override
    public AuthFailure.Builder recognize(ResponseView r) {
        JsonNode json = r.json();
        String error = ResponseView.text(json, "error");
        if (error == null || json.get("error").isObject()) {
            return null;
        }
        String description = ResponseView.text(json, "error_description");
        switch (error) {
            case "invalid_grant":
                if (Wording.saysExpired(description)) {
                    return AuthFailure.builder(Kind.EXPIRED, Format.OAUTH).code(error).message(description)
                            .recovery(Recovery.LOG_IN).retryable(true);
                }
                if (Wording.of(description) == Wording.Meaning.REVOKED) {
                    return AuthFailure.builder(Kind.REVOKED, Format.OAUTH).code(error).message(description)
                            .recovery(Recovery.LOG_IN);
                }
                return AuthFailure.builder(Kind.INVALID, Format.OAUTH).code(error).message(description)
                        .recovery(Recovery.LOG_IN);
            case "expired_token":
                return AuthFailure.builder(Kind.EXPIRED, Format.OAUTH).code(error).message(description)
                        .recovery(Recovery.LOG_IN).retryable(true);
            case "invalid_client":
                return AuthFailure.builder(Kind.INVALID, Format.OAUTH).code(error).message(description);
            case "unauthorized_client":
            case "access_denied":
            case "invalid_scope":
            case "invalid_target":
                return AuthFailure.builder(Kind.DENIED, Format.OAUTH).code(error).message(description)
                        .requiredScope(ResponseView.text(json, "scope"));
            case "temporarily_unavailable":
                return AuthFailure.builder(Kind.UNAVAILABLE, Format.OAUTH).code(error).message(description);
            case "slow_down":
                return AuthFailure.builder(Kind.RATE_LIMITED, Format.OAUTH).code(error).message(description);
            case "invalid_request":
                if (r.status() == 401 && Wording.of(description) == Wording.Meaning.MISSING) {
                    return AuthFailure.builder(Kind.MISSING, Format.OAUTH).code(error).message(description);
                }
                return AuthFailure.builder(Kind.UNKNOWN, Format.OAUTH).code(error).message(description);
            case "unsupported_grant_type":
            case "unsupported_token_type":
            case "unsupported_response_type":
                return AuthFailure.builder(Kind.UNKNOWN, Format.OAUTH).code(error).message(description);
            default:
                return BearerFormat.byError(r, error, description, ResponseView.text(json, "scope"),
                        ResponseView.text(json, "claims"), Format.OAUTH);
        }
    }
}
