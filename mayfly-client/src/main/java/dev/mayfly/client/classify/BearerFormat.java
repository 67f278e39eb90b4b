package dev.mayfly.client.classify;

import dev.mayfly.client.classify.AuthFailure.Format;
import dev.mayfly.client.classify.AuthFailure.Kind;
import dev.mayfly.client.classify.AuthFailure.Recovery;
import java.util.List;

/**
 * The {@code WWW-Authenticate} challenge of RFC 6750 §3 (scheme {@code Bearer}) and RFC 9449 §7.1
 * (scheme {@code DPoP}), with Microsoft Entra's CAE extension:
 *
 * <ul>
 *   <li>{@code invalid_token} (§3.1) folds expired, revoked and malformed together; the
 *       {@code error_description}'s words decide ({@link Wording}), else the body's (Envoy and ESPv2 put
 *       "Jwt is expired" there), else the token's {@code exp};</li>
 *   <li>{@code insufficient_scope} is a denial, with the required {@code scope};</li>
 *   <li>a challenge without {@code error} on a 401 means no credential was presented (§3.1) when none was
 *       sent; when one was, the body's words decide ("Jwt is missing": it was not where the server looks),
 *       else the token's {@code exp};</li>
 *   <li>{@code use_dpop_nonce} (RFC 9449 §9) asks for a retry with the {@code DPoP-Nonce} header's value;
 *       {@code invalid_dpop_proof} (§7.1) is an invalid proof;</li>
 *   <li>{@code insufficient_claims} (Entra Continuous Access Evaluation) means the session was revoked or
 *       its conditions changed: get a new token presenting the {@code claims} challenge.</li>
 * </ul>
 */
final class BearerFormat implements Recognizer {
    @Override
    public AuthFailure.Builder recognize(ResponseView r) {
        boolean challenged = false;
        for (Challenge c : r.challenges()) {
            if (!c.scheme().equals("bearer") && !c.scheme().equals("dpop")) {
                continue;
            }
            challenged = true;
            String error = c.param("error");
            if (error != null) {
                AuthFailure.Builder b = byError(r, error, c.param("error_description"), c.param("scope"),
                        c.param("claims"), c.scheme().equals("dpop") ? Format.DPOP : Format.BEARER);
                if (b != null) {
                    return b;
                }
            }
        }
        if (challenged && r.status() == 401) {
            if (!r.sent().sent()) {
                return AuthFailure.builder(Kind.MISSING, Format.BEARER);
            }
            AuthFailure.Builder said = MessageFormat.fromBody(r, Format.BEARER, null);
            return said != null ? said : CredentialRejected.byExpiryAlone(r, Format.BEARER, null, null);
        }
        return null;
    }

    /** The RFC 6750 / RFC 9449 / CAE error codes, wherever they appear (header or JSON body). */
    static AuthFailure.Builder byError(ResponseView r, String error, String description, String scope, String claims,
                                       Format format) {
        switch (error) {
            case "invalid_token": {
                AuthFailure.Builder said = Wording.verdict(description, format, error, description, r);
                if (said == null) {
                    said = MessageFormat.fromBody(r, format, error);
                }
                return said != null ? said : CredentialRejected.byExpiryAlone(r, format, error, description);
            }
            case "insufficient_scope":
                return AuthFailure.builder(Kind.DENIED, format).code(error).message(description).requiredScope(scope)
                        .missingScopes(scope == null || scope.isBlank() ? null : List.of(scope.strip().split(" +")));
            case "insufficient_claims":
                return AuthFailure.builder(Kind.REVOKED, Format.AZURE).code(error).message(description)
                        .recovery(Recovery.LOG_IN).claimsChallenge(claims);
            case "use_dpop_nonce":
                return AuthFailure.builder(Kind.INVALID, Format.DPOP).code(error).message(description)
                        .recovery(Recovery.RETRY_WITH_NONCE).retryable(true).dpopNonce(r.header("DPoP-Nonce"));
            case "invalid_dpop_proof":
                return AuthFailure.builder(Kind.INVALID, Format.DPOP).code(error).message(description);
            case "invalid_request":
                return AuthFailure.builder(Kind.UNKNOWN, format).code(error).message(description);
            default:
                return null;
        }
    }
}
