package dev.mayfly.verifier;

import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyError;

/**
 * Why a token was rejected: every step of the verification pipeline fails with one of these, and each maps
 * to exactly one catalog code (DESIGN §3.1). Messages are fixed text and never quote the token.
 */
enum Reason {
    MISSING(ErrorCode.CREDENTIALS_MISSING, "No access token was presented.", Reauth.LOGIN),
    OVERSIZED(ErrorCode.CREDENTIALS_INVALID, "Access token is too large.", Reauth.LOGIN),
    MALFORMED(ErrorCode.CREDENTIALS_INVALID, "Access token is not a well-formed JWS.", Reauth.LOGIN),
    ALGORITHM_NOT_ALLOWED(ErrorCode.CREDENTIALS_INVALID,
            "Access token is signed with an algorithm this verifier does not accept.", Reauth.LOGIN),
    WRONG_TYPE(ErrorCode.CREDENTIALS_INVALID, "Access token is not of type at+jwt.", Reauth.LOGIN),
    FORBIDDEN_HEADER(ErrorCode.CREDENTIALS_INVALID,
            "Access token header carries a parameter this verifier refuses (jku, x5u, jwk, x5c, crit, b64, cty, zip, enc).",
            Reauth.LOGIN),
    NO_KEY_ID(ErrorCode.CREDENTIALS_INVALID, "Access token header has no key id (kid).", Reauth.LOGIN),
    UNKNOWN_KEY(ErrorCode.CREDENTIALS_INVALID, "Access token is signed with an unknown signing key.", Reauth.LOGIN),
    KEY_MISMATCH(ErrorCode.CREDENTIALS_INVALID,
            "Access token signing key does not fit the token's algorithm.", Reauth.LOGIN),
    BAD_SIGNATURE(ErrorCode.CREDENTIALS_INVALID, "Access token signature is invalid.", Reauth.LOGIN),
    WRONG_ISSUER(ErrorCode.CREDENTIALS_INVALID, "Access token was issued by another issuer.", Reauth.LOGIN),
    WRONG_AUDIENCE(ErrorCode.CREDENTIALS_INVALID, "Access token is not meant for this audience.", Reauth.NONE),
    NOT_YET_VALID(ErrorCode.CREDENTIALS_INVALID, "Access token is not yet valid.", Reauth.NONE),
    ISSUED_IN_THE_FUTURE(ErrorCode.CREDENTIALS_INVALID, "Access token was issued in the future.", Reauth.LOGIN),
    MISSING_CLAIM(ErrorCode.CREDENTIALS_INVALID, "Access token lacks a required claim.", Reauth.LOGIN),
    MALFORMED_CLAIMS(ErrorCode.CREDENTIALS_INVALID, "Access token claims are malformed.", Reauth.LOGIN),
    REVOKED(ErrorCode.CREDENTIALS_REVOKED, "Access token was revoked.", Reauth.NONE),
    EXPIRED(ErrorCode.CREDENTIALS_EXPIRED, "Access token expired.", Reauth.REFRESH),
    INSUFFICIENT_SCOPE(ErrorCode.PERMISSION_DENIED, "Access token lacks a required scope.", Reauth.NONE),
    KEYS_UNAVAILABLE(ErrorCode.UNAVAILABLE, "The issuer's signing keys are unavailable.", Reauth.NONE),
    REVOCATIONS_UNAVAILABLE(ErrorCode.UNAVAILABLE, "Revocation status is unavailable.", Reauth.NONE);

    /** How long a caller should wait before retrying an {@link ErrorCode#UNAVAILABLE} rejection. */
    static final long RETRY_AFTER_MS = 1_000;

    private final ErrorCode code;
    private final String message;
    private final String reauthCommand;

    Reason(ErrorCode code, String message, String reauthCommand) {
        this.code = code;
        this.message = message;
        this.reauthCommand = reauthCommand;
    }

    ErrorCode code() {
        return code;
    }

    /** The error with this reason's fixed message and default reauth command, ready for more fields. */
    MayflyError.Builder error() {
        return error(message);
    }

    /** As {@link #error()} with a specific message (which must not quote the token). */
    MayflyError.Builder error(String specificMessage) {
        MayflyError.Builder b = MayflyError.builder(code, specificMessage).reauthCommand(reauthCommand);
        if (code == ErrorCode.UNAVAILABLE) {
            b.retryAfterMs(RETRY_AFTER_MS);
        }
        return b;
    }

    Rejection reject() {
        return new Rejection(this, error().build());
    }

    Rejection reject(MayflyError.Builder error) {
        return new Rejection(this, error.build());
    }

    /** The commands that recover (DESIGN §3.1). */
    static final class Reauth {
        static final String LOGIN = "mayfly auth login";
        static final String REFRESH = "mayfly auth refresh";
        static final String NONE = null;

        private Reauth() {
        }
    }
}
