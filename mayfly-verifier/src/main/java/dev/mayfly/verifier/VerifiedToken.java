package dev.mayfly.verifier;

import com.nimbusds.jose.jwk.JWK;
import dev.mayfly.core.token.AccessTokenClaims;

/**
 * A token whose structure, header, signature, issuer, audience and required claims all checked out, with
 * the key that verified it. What does not change with time is settled; time, revocation and scopes are not.
 *
 * @param keyId the header's {@code kid}
 * @param key   the public key the signature verified against
 */
record VerifiedToken(AccessTokenClaims claims, String keyId, JWK key) {
}
