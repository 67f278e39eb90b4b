package dev.mayfly.verifier;

import dev.mayfly.core.error.MayflyError;
import dev.mayfly.core.token.AccessTokenClaims;
import java.util.Collection;
import java.util.Objects;
import java.util.Optional;

/** The outcome of verifying one token: allowed with its claims, or rejected with a catalog error. Immutable. */
public final class Decision {
    private final AccessTokenClaims claims;
    private final MayflyError error;
    /** Of a rejected token that was authentic (signature, issuer, audience): expired, revoked, lacking scope. */
    private final AccessTokenClaims refusedClaims;

    private Decision(AccessTokenClaims claims, MayflyError error, AccessTokenClaims refusedClaims) {
        this.claims = claims;
        this.error = error;
        this.refusedClaims = refusedClaims;
    }

    public static Decision allow(AccessTokenClaims claims) {
        return new Decision(Objects.requireNonNull(claims), null, null);
    }

    public static Decision reject(MayflyError error) {
        return new Decision(null, Objects.requireNonNull(error), null);
    }

    /** A rejection of a token whose signature, issuer and audience checked out ({@code claims}), for a later step. */
    static Decision reject(MayflyError error, AccessTokenClaims authentic) {
        return new Decision(null, Objects.requireNonNull(error), authentic);
    }

    public boolean allowed() {
        return error == null;
    }

    /** The verified claims; only when {@link #allowed()}. */
    public AccessTokenClaims claims() {
        if (claims == null) {
            throw new IllegalStateException("rejected: " + error);
        }
        return claims;
    }

    /**
     * This decision with {@code scopes} required as well: the verifier's own scope check, which is its last
     * step, applied to claims already verified. For a caller that verifies without scopes first (to learn who
     * is asking, so a denial can be attributed) and must not verify the token a second time for the scopes.
     */
    public Decision requiring(Collection<String> scopes) {
        if (!allowed()) {
            return this;
        }
        try {
            JwtTokenVerifier.checkScopes(claims, scopes);
            return this;
        } catch (Rejection r) {
            return reject(r.error(), claims);
        }
    }

    /**
     * The claims of the token if it was authentic (its signature, issuer and audience checked out), whether it
     * was then allowed or refused (expired, revoked, not yet valid, lacking scope); empty for a token that never
     * proved authentic. For attributing a refusal (an audit record, a log line), never for granting anything.
     */
    public Optional<AccessTokenClaims> authenticClaims() {
        return Optional.ofNullable(claims != null ? claims : refusedClaims);
    }

    /** Why the token was rejected; only when not {@link #allowed()}. */
    public MayflyError error() {
        if (error == null) {
            throw new IllegalStateException("allowed");
        }
        return error;
    }

    @Override
    public String toString() {
        return allowed() ? "Decision[allowed " + claims.jwtId() + "]" : "Decision[" + error + "]";
    }
}
