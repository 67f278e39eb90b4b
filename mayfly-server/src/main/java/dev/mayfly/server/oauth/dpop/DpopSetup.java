package dev.mayfly.server.oauth.dpop;

import dev.mayfly.core.policy.DpopRule;
import dev.mayfly.server.crypto.BouncyCastleEd25519Check;
import dev.mayfly.server.crypto.MasterKey;
import dev.mayfly.server.oauth.Issuance;
import dev.mayfly.verifier.DpopProofVerifier;
import java.time.Duration;

/** Builds the broker's DPoP checks from its policy: the proof window, and server nonces when {@code [dpop] nonce}. */
public final class DpopSetup {
    /** How far a proof's {@code iat} may be from the broker's clock, either way. */
    public static final Duration PROOF_WINDOW = Duration.ofSeconds(60);
    /** How long one server nonce is handed out (it is accepted for one more such window). */
    public static final Duration NONCE_WINDOW = Duration.ofMinutes(5);

    private DpopSetup() {
    }

    public static TokenEndpointProofs tokenEndpoint(Issuance issuance, MasterKey masterKey) {
        DpopRule rule = issuance.policy().dpop();
        DpopProofVerifier.Builder proofs = DpopProofVerifier.builder().clock(issuance.clock()).window(PROOF_WINDOW)
                .ed25519(new BouncyCastleEd25519Check()); // the proof's signature is most of DPoP's cost per issuance
        if (rule.nonce()) {
            proofs.nonces(new StatelessDpopNonces(masterKey, issuance.clock(), NONCE_WINDOW));
        }
        return new TokenEndpointProofs(proofs.build(), rule);
    }
}
