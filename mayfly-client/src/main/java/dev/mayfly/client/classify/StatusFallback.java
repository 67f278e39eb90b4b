package dev.mayfly.client.classify;

import dev.mayfly.client.classify.AuthFailure.Format;
import dev.mayfly.client.classify.AuthFailure.Kind;

/**
 * The last word, from the status alone (RFC 9110 §15): 401 is a credential problem the token's {@code exp}
 * must settle (or {@code MISSING} when none was sent), 403 a denial unless the token is known to be past
 * its {@code exp} (servers that answer expiry with 403 exist) or none was sent (Istio answers a request
 * without a token "403 RBAC: access denied": with no credential, attaching one is the fix), 429 a rate
 * limit, 408/502/503/504
 * unavailability, anything else undecidable.
 */
final class StatusFallback implements Recognizer {
    @Override
    public AuthFailure.Builder recognize(ResponseView r) {
        switch (r.status()) {
            case 401:
                if (r.sent().sentNone()) {
                    return AuthFailure.builder(Kind.MISSING, Format.HTTP_STATUS);
                }
                return CredentialRejected.byExpiry(r, Format.HTTP_STATUS, null, null);
            case 403:
                if (r.sent().sentNone()) {
                    return AuthFailure.builder(Kind.MISSING, Format.HTTP_STATUS);
                }
                if (r.sentTokenExpired()) {
                    return AuthFailure.builder(Kind.EXPIRED, Format.TOKEN_EXPIRY)
                            .expiredAt(r.sentExpiry());
                }
                return AuthFailure.builder(Kind.DENIED, Format.HTTP_STATUS);
            case 429:
                return AuthFailure.builder(Kind.RATE_LIMITED, Format.HTTP_STATUS);
            case 408:
            case 502:
            case 503:
            case 504:
                return AuthFailure.builder(Kind.UNAVAILABLE, Format.HTTP_STATUS);
            default:
                return AuthFailure.builder(Kind.UNKNOWN, Format.HTTP_STATUS);
        }
    }
}
