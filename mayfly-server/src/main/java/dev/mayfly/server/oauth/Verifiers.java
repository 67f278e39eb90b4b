package dev.mayfly.server.oauth;

import dev.mayfly.server.crypto.BouncyCastleEd25519Check;
import dev.mayfly.verifier.DpopProofVerifier;
import dev.mayfly.verifier.JwksSource;
import dev.mayfly.core.revocation.RevocationSource;
import dev.mayfly.verifier.TokenVerifier;
import java.time.Clock;
import java.time.Duration;

/**
 * The two ways the broker verifies its own tokens, both against its current keys and revocations.
 *
 * @param brokerAudience verifies tokens audienced to the broker itself (the {@code /v1} API, subject tokens)
 * @param anyAudience    verifies any authentic Mayfly token ({@code /v1/whoami}, introspection, revocation)
 */
public record Verifiers(TokenVerifier brokerAudience, TokenVerifier anyAudience) {

    public static Verifiers of(String issuer, JwksSource jwks, RevocationSource revocations, Clock clock, Duration leeway) {
        return new Verifiers(
                TokenVerifier.builder().issuer(issuer).audience(issuer).jwks(jwks)
                        .clock(clock).leeway(leeway).revocations(revocations).dpop(proofs(clock)).build(),
                TokenVerifier.builder().issuer(issuer).anyAudience().jwks(jwks)
                        .clock(clock).leeway(leeway).revocations(revocations).dpop(proofs(clock)).build());
    }

    /** DPoP proofs at {@code /v1}: Ed25519 signatures through Bouncy Castle, as at the token endpoint. */
    private static DpopProofVerifier proofs(Clock clock) {
        return DpopProofVerifier.builder().clock(clock).ed25519(new BouncyCastleEd25519Check()).build();
    }
}
