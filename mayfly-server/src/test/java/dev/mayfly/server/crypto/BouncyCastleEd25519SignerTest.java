package dev.mayfly.server.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.Ed25519Signer;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BouncyCastleEd25519SignerTest {
    private static final JWSHeader EDDSA = new JWSHeader.Builder(JWSAlgorithm.EdDSA).type(new JOSEObjectType("at+jwt")).build();

    @Test
    void signaturesAreByteForByteTinksAndVerify() throws Exception {
        Random random = new Random(20261203);
        for (int k = 0; k < 50; k++) {
            OctetKeyPair key = new OctetKeyPairGenerator(Curve.Ed25519).generate();
            BouncyCastleEd25519Signer ours = new BouncyCastleEd25519Signer(key);
            Ed25519Signer tink = new Ed25519Signer(key);
            Ed25519Verifier verifier = new Ed25519Verifier(key.toPublicJWK());
            for (int m = 0; m < 20; m++) {
                byte[] input = new byte[random.nextInt(m == 0 ? 1 : 2048)];
                random.nextBytes(input);
                Base64URL signature = ours.sign(EDDSA, input);
                assertThat(signature).isEqualTo(tink.sign(EDDSA, input));
                assertThat(verifier.verify(EDDSA, input, signature)).isTrue();
                input = input.length == 0 ? new byte[] {1} : flipOneBit(input, random);
                assertThat(verifier.verify(EDDSA, input, signature)).as("signature over other bytes").isFalse();
            }
        }
    }

    @Test
    void aSignedJwtVerifiesWithNimbus() throws Exception {
        OctetKeyPair key = new OctetKeyPairGenerator(Curve.Ed25519).keyID("k1").generate();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.EdDSA).keyID("k1").build(),
                new JWTClaimsSet.Builder().subject("agt_1").claim("scope", "orders:read").build());
        jwt.sign(new BouncyCastleEd25519Signer(key));
        assertThat(SignedJWT.parse(jwt.serialize()).verify(new Ed25519Verifier(key.toPublicJWK()))).isTrue();
        assertThat(new BouncyCastleEd25519Signer(key).supportedJWSAlgorithms()).contains(JWSAlgorithm.EdDSA);
    }

    @Test
    void refusesKeysItCannotSignWithCorrectly() throws Exception {
        OctetKeyPair key = new OctetKeyPairGenerator(Curve.Ed25519).generate();
        OctetKeyPair other = new OctetKeyPairGenerator(Curve.Ed25519).generate();
        assertThatThrownBy(() -> new BouncyCastleEd25519Signer(key.toPublicJWK()))
                .isInstanceOf(JOSEException.class).hasMessageContaining("no private part");
        OctetKeyPair mismatched = new OctetKeyPair.Builder(Curve.Ed25519, other.getX()).d(key.getD()).build();
        assertThatThrownBy(() -> new BouncyCastleEd25519Signer(mismatched))
                .isInstanceOf(JOSEException.class).hasMessageContaining("does not belong");
        OctetKeyPair x25519 = new OctetKeyPairGenerator(Curve.X25519).generate();
        assertThatThrownBy(() -> new BouncyCastleEd25519Signer(x25519))
                .isInstanceOf(JOSEException.class).hasMessageContaining("crv=Ed25519");
        OctetKeyPair shortD = new OctetKeyPair.Builder(Curve.Ed25519, key.getX()).d(Base64URL.encode(new byte[16])).build();
        assertThatThrownBy(() -> new BouncyCastleEd25519Signer(shortD))
                .isInstanceOf(JOSEException.class).hasMessageContaining("32 bytes");
    }

    @Test
    void refusesAHeaderForAnotherAlgorithm() throws Exception {
        BouncyCastleEd25519Signer signer = new BouncyCastleEd25519Signer(new OctetKeyPairGenerator(Curve.Ed25519).generate());
        assertThatThrownBy(() -> signer.sign(new JWSHeader(JWSAlgorithm.RS256), new byte[] {1, 2, 3}))
                .isInstanceOf(JOSEException.class).hasMessageContaining("RS256");
    }

    private static byte[] flipOneBit(byte[] input, Random random) {
        byte[] copy = input.clone();
        copy[random.nextInt(copy.length)] ^= (byte) (1 << random.nextInt(8));
        return copy;
    }
}
