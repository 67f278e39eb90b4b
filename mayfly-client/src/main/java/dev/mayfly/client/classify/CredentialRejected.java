package dev.mayfly.client.classify;

import dev.mayfly.client.classify.AuthFailure.Format;
import dev.mayfly.client.classify.AuthFailure.Kind;
import dev.mayfly.client.classify.AuthFailure.Recovery;

/**
 * The answer for a server that says "this credential is no good" without saying why (RFC 6750
 * {@code invalid_token} without a description, GitHub's {@code Bad credentials}, a Kubernetes
 * {@code Unauthorized} Status, Google's bare {@code UNAUTHENTICATED}, Vault's {@code invalid token}): first
 * the message's words, when they name one cause ({@link Wording}: "The incoming token has expired", "Invalid
 * audience"), else the token's own {@code exp} decides. Past it: {@link Kind#EXPIRED}. Known to be before it: the server
 * rejected a live token, so {@link Kind#INVALID}. Unknown: undecidable, {@link Kind#UNKNOWN}, not retryable.
 */
final class CredentialRejected {
    private CredentialRejected() {
    }

    static AuthFailure.Builder byExpiry(ResponseView r, Format format, String code, String message) {
        AuthFailure.Builder said = Wording.verdict(message, format, code, message, r);
        if (said != null) {
            return said;
        }
        return byExpiryAlone(r, format, code, message);
    }

    /** The token's {@code exp} alone, for callers that have read the words already. */
    static AuthFailure.Builder byExpiryAlone(ResponseView r, Format format, String code, String message) {
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
