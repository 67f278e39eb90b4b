package dev.mayfly.client.classify;

import dev.mayfly.client.classify.AuthFailure.Format;
import dev.mayfly.client.classify.AuthFailure.Kind;
import dev.mayfly.client.classify.AuthFailure.Recovery;

/**
 * The answer for a server that says "this credential is no good" without saying why (RFC 6750
 * {@code invalid_token} without a description, GitHub's {@code Bad credentials}, a Kubernetes
 * {@code Unauthorized} Status, Google's bare {@code UNAUTHENTICATED}, Vault's {@code invalid token}): the
 * token's own {@code exp} decides. Past it: {@link Kind#EXPIRED}. Known to be before it: the server
 * rejected a live token, so {@link Kind#INVALID}. Unknown: undecidable, {@link Kind#UNKNOWN}, not retryable.
 */
final class CredentialRejected {
    private CredentialRejected() {
    }

    static AuthFailure.Builder byExpiry(ResponseView r, Format format, String code, String message) {
        if (r.sentTokenExpired()) {
            return AuthFailure.builder(Kind.EXPIRED, Format.TOKEN_EXPIRY).code(code).message(message)
                    .expiredAt(r.sentExpiry());
        }
        if (r.sentTokenValid()) {
            return AuthFailure.builder(Kind.INVALID, format).code(code).message(message);
        }
        return AuthFailure.builder(Kind.UNKNOWN, format).code(code).message(message)
                .recovery(Recovery.REPLACE_CREDENTIAL);
    }
}
