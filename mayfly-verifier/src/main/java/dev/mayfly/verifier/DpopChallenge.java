package dev.mayfly.verifier;

import dev.mayfly.core.error.MayflyError;

/**
 * Renders the {@code WWW-Authenticate: DPoP} challenge of RFC 9449 §7.1 for a refused DPoP presentation (or a
 * DPoP-bound token presented as Bearer): {@code realm}, the {@code error} ({@code invalid_dpop_proof},
 * {@code use_dpop_nonce}, or RFC 6750's {@code invalid_token} / {@code insufficient_scope} when the token itself
 * was refused), a short fixed {@code error_description}, and the {@code algs} accepted for proofs. Stateless.
 */
final class DpopChallenge {
    /** The proof algorithms a default {@link DpopProofVerifier} accepts, as advertised in {@code algs}. */
    static final String DEFAULT_ALGS = "EdDSA ES256 RS256 PS256";
    /** RFC 9449 §8: the response header that hands a client the nonce to use. */
    static final String NONCE_HEADER = "DPoP-Nonce";

    private DpopChallenge() {
    }

    /** Whether {@code error} was refused under the DPoP scheme and so takes this challenge. */
    static boolean appliesTo(MayflyError error) {
        return DpopTokens.SCHEME.equals(error.details().get(DpopTokens.DETAIL_SCHEME));
    }

    static String render(MayflyError error, String realm) {
        StringBuilder sb = new StringBuilder(DpopTokens.SCHEME).append(' ');
        sb.append("realm=\"").append(BearerChallenge.quote(realm)).append('"');
        Object dpopError = error.details().get(DpopFailure.DETAIL_ERROR);
        String description;
        if (dpopError != null) {
            description = error.message();
        } else {
            description = switch (error.code()) {
                case CREDENTIALS_MISSING -> null;
                case CREDENTIALS_EXPIRED -> "token expired";
                case CREDENTIALS_REVOKED -> "token revoked";
                case PERMISSION_DENIED -> "insufficient scope";
                default -> "token invalid";
            };
            dpopError = description == null ? null : error.code().bearerError();
        }
        if (dpopError != null) {
            sb.append(", error=\"").append(BearerChallenge.quote(dpopError.toString())).append('"');
            sb.append(", error_description=\"").append(BearerChallenge.quote(description)).append('"');
        }
        if (error.requiredScope() != null && !error.requiredScope().isBlank()) {
            sb.append(", scope=\"").append(BearerChallenge.quote(error.requiredScope())).append('"');
        }
        return sb.append(", algs=\"").append(DEFAULT_ALGS).append('"').toString();
    }
}
