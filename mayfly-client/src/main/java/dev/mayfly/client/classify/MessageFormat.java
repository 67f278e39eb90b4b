package dev.mayfly.client.classify;

import dev.mayfly.client.classify.AuthFailure.Format;
import dev.mayfly.client.classify.AuthFailure.Kind;

/**
 * The body's own words, for servers with no structured code: gateways and frameworks that answer
 * {@code {"message":"Jwt is expired"}}, {@code {"msg":"Token has expired"}}, {@code {"detail":"Signature has
 * expired."}}, Kong's {@code {"exp":"token expired"}}, Auth0's {@code {"statusCode":401,"error":"Unauthorized",
 * "message":"Expired token received ..."}}, or plain text. Asked after every structured format and before the
 * status alone, and only for 401 and 403: a 500 that says "jwt expired" is a server bug, not an answer, and a
 * 400's words are about the request too often ("parameter 'key' is missing") to be read as the credential's.
 * What the words mean is {@link Wording}'s; an {@code expiredAt} the body states beats the token's {@code exp}.
 */
final class MessageFormat implements Recognizer {
    @Override
    public AuthFailure.Builder recognize(ResponseView r) {
        if (r.status() != 401 && r.status() != 403) {
            return null;
        }
        return fromBody(r, Format.MESSAGE, null);
    }

    /** The verdict of the first body message that names a cause, in {@code format}; null when none does. */
    static AuthFailure.Builder fromBody(ResponseView r, Format format, String code) {
        for (String message : r.bodyMessages()) {
            AuthFailure.Builder b = Wording.verdict(message, format, code, message, r);
            if (b != null) {
                if (b.kind() == Kind.EXPIRED && r.bodyExpiredAt() != null) {
                    b.expiredAt(r.bodyExpiredAt());
                }
                return b;
            }
        }
        return null;
    }
}
