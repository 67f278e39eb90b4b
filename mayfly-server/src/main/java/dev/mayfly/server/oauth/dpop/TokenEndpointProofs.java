package dev.mayfly.server.oauth.dpop;

import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyError;
import dev.mayfly.core.error.MayflyException;
import dev.mayfly.core.policy.AgentKind;
import dev.mayfly.core.policy.DpopRule;
import dev.mayfly.core.policy.Tier;
import dev.mayfly.server.http.HttpExchange;
import dev.mayfly.server.oauth.OAuthException;
import dev.mayfly.verifier.DpopProof;
import dev.mayfly.verifier.DpopProofVerifier;
import java.util.List;
import java.util.Optional;

/**
 * DPoP at the token endpoint (RFC 9449 §5): every grant may carry one {@code DPoP} proof for
 * {@code POST <token endpoint>}; a valid one binds what is issued to its key, an invalid one fails the request
 * with {@code invalid_dpop_proof} (or {@code use_dpop_nonce}, with the nonce in a {@code DPoP-Nonce} header, when
 * the policy demands server nonces and the proof lacks the current one). Whether a proof is <em>required</em> is
 * the policy's {@link DpopRule}: {@link #requireBinding} refuses a bearer token where it names one. Thread-safe.
 */
public final class TokenEndpointProofs {
    /** RFC 9449 §5: the request header that carries the proof. */
    public static final String HEADER = "DPoP";

    private final DpopProofVerifier proofs;
    private final DpopRule rule;

    public TokenEndpointProofs(DpopProofVerifier proofs, DpopRule rule) {
        this.proofs = proofs;
        this.rule = rule;
    }

    /**
     * The request's proof, checked for {@code POST} to the URI the client addressed (no {@code ath}: no access
     * token is presented as a credential here), or empty when the request carries none.
     *
     * @throws OAuthException {@code invalid_dpop_proof} / {@code use_dpop_nonce} for a proof that fails a check
     */
    public Optional<DpopProof> check(HttpExchange ex) {
        List<String> headers = ex.headers(HEADER);
        if (headers.isEmpty()) {
            return Optional.empty();
        }
        String proof = headers.size() == 1 ? headers.get(0) : String.join(",", headers); // several: refused as such
        try {
            return Optional.of(proofs.verify(proof, ex.method(), ex.dpopTargetUri(headers), null));
        } catch (MayflyException e) {
            Object rfcError = e.error().details().get("dpop_error");
            throw new OAuthException(rfcError == null ? "invalid_dpop_proof" : rfcError.toString(), e.error());
        }
    }

    /**
     * Refuses to issue a bearer token where the policy demands binding: a token of this tier, or for an agent of
     * this kind, without a proof. The refusal names the policy rule, and the command that gets a bound token.
     */
    public void requireBinding(Tier tier, AgentKind kind, Optional<DpopProof> proof) {
        if (proof.isPresent()) {
            return;
        }
        rule.requiringBinding(tier, kind).ifPresent(why -> {
            throw new OAuthException("invalid_dpop_proof", MayflyError.builder(ErrorCode.CREDENTIALS_INVALID,
                            "Policy requires DPoP-bound tokens here (" + why + "); send a DPoP proof with this request.")
                    .reauthCommand("mayfly auth login --dpop")
                    .detail("dpop_error", "invalid_dpop_proof")
                    .detail("policy_rule", why)
                    .build());
        });
    }

    /**
     * Refuses a proof by another key than the one a refresh token or subject token is bound to (or no proof at
     * all for a bound one). {@code boundTo} is the thumbprint the credential carries, {@code null} when unbound.
     */
    public static void requireSameKey(String boundTo, Optional<DpopProof> proof, String credential) {
        if (boundTo == null) {
            return;
        }
        if (proof.isEmpty()) {
            throw new OAuthException("invalid_dpop_proof", MayflyError.builder(ErrorCode.CREDENTIALS_INVALID,
                            "Bound to a DPoP key, the " + credential + " needs a DPoP proof signed by that key.")
                    .reauthCommand(null)
                    .detail("dpop_error", "invalid_dpop_proof")
                    .build());
        }
        if (!boundTo.equals(proof.get().keyThumbprint())) {
            throw new OAuthException("invalid_dpop_proof", MayflyError.builder(ErrorCode.CREDENTIALS_INVALID,
                            "Bound to another DPoP key than the one that signed this proof: the " + credential + " is refused.")
                    .reauthCommand(null)
                    .detail("dpop_error", "invalid_dpop_proof")
                    .build());
        }
    }
}
