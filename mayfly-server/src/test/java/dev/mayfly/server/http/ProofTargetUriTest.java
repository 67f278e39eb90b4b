package dev.mayfly.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which URI a proof is compared with: as received, or under {@code --issuer} when the proof names its origin. */
class ProofTargetUriTest {
    static final String RECEIVED = "http://10.0.0.7:8470/oauth/token";

    /** An unsigned stand-in: only the payload's htu is read here; the verifier checks the signature afterwards. */
    static String proofNaming(String htu) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString("{\"typ\":\"dpop+jwt\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(("{\"htu\":\"" + htu + "\"}").getBytes(StandardCharsets.UTF_8)) + ".sig";
    }

    static String choose(String issuer, List<String> proofs) {
        return ProofTargetUri.choose(RECEIVED, ProofTargetUri.PublicUrl.of(issuer), "/oauth/token", proofs);
    }

    @Test
    void aProofNamingThePublicOriginIsComparedUnderIt() {
        assertThat(choose("https://Mayfly.Example.com", List.of(proofNaming("https://mayfly.example.com/oauth/token"))))
                .isEqualTo("https://mayfly.example.com:443/oauth/token");
        assertThat(choose("https://mayfly.example.com:443/", List.of(proofNaming("HTTPS://MAYFLY.example.com/oauth/token"))))
                .isEqualTo("https://mayfly.example.com:443/oauth/token");
    }

    @Test
    void anIssuerPathIsThePrefixAProxyStripped() {
        assertThat(choose("https://example.com/mayfly/", List.of(proofNaming("https://example.com/mayfly/oauth/token"))))
                .isEqualTo("https://example.com:443/mayfly/oauth/token");
    }

    @Test
    void everythingElseIsComparedAsReceived() {
        assertThat(choose("https://mayfly.example.com", List.of(proofNaming("https://evil.example.com/oauth/token")))).isEqualTo(RECEIVED);
        assertThat(choose("https://mayfly.example.com", List.of(proofNaming("https://mayfly.example.com:8443/oauth/token")))).isEqualTo(RECEIVED);
        assertThat(choose("https://mayfly.example.com", List.of("not a jwt"))).isEqualTo(RECEIVED);
        assertThat(choose("https://mayfly.example.com", List.of("a.%%%.c"))).isEqualTo(RECEIVED);
        assertThat(choose("https://mayfly.example.com", List.of())).isEqualTo(RECEIVED);
        String proof = proofNaming("https://mayfly.example.com/oauth/token");
        assertThat(choose("https://mayfly.example.com", List.of(proof, proof))).as("two proofs are refused later").isEqualTo(RECEIVED);
        assertThat(choose(null, List.of(proof))).isEqualTo(RECEIVED);
    }
}
