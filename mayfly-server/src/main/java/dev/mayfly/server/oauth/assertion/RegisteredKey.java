package dev.mayfly.server.oauth.assertion;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.util.Arrays;
import java.util.Base64;

/**
 * The public key an agent registers for {@code private_key_jwt}, read from a JWK (RFC 7517) or a PEM
 * {@code PUBLIC KEY} (RFC 7468 §13, SubjectPublicKeyInfo) and stored as a public JWK with a {@code kid} (its
 * RFC 7638 thumbprint when none was given). Ed25519, EC P-256/P-384/P-521 and RSA of 2048 bits or more.
 */
public final class RegisteredKey {
    /** RFC 8410 §4: an Ed25519 SubjectPublicKeyInfo is this 12-byte prefix and the 32-byte key. */
    private static final int ED25519_SPKI_PREFIX = 12;

    private RegisteredKey() {
    }

    /** The public JWK JSON to store; {@code USAGE} naming what is wrong with the key otherwise. */
    public static String normalise(String text) {
        if (text == null || text.isBlank()) {
            throw usage("the public key is empty");
        }
        String t = text.strip();
        JWK jwk;
        if (t.startsWith("{")) {
            try {
                jwk = JWK.parse(t);
            } catch (ParseException | RuntimeException e) {
                throw usage("the public key is not a valid JWK");
            }
        } else if (t.startsWith("-----BEGIN PUBLIC KEY-----")) {
            jwk = fromPem(t);
        } else if (t.startsWith("-----BEGIN")) {
            throw usage("only a PEM 'PUBLIC KEY' (SubjectPublicKeyInfo) is accepted; never register a private key");
        } else {
            throw usage("the public key must be a JWK (JSON) or a PEM 'PUBLIC KEY'");
        }
        String unfit = KeyFit.unfitForRegistration(jwk);
        if (unfit != null) {
            throw usage("the public key is not accepted: " + unfit);
        }
        JWK pub = jwk.toPublicJWK();
        if (pub.getKeyID() == null) {
            try {
                pub = withKid(pub, pub.computeThumbprint().toString());
            } catch (JOSEException e) {
                throw usage("the public key's thumbprint cannot be computed");
            }
        }
        return pub.toJSONString();
    }

    private static JWK fromPem(String pem) {
        byte[] der;
        try {
            String body = pem.replace("-----BEGIN PUBLIC KEY-----", "").replace("-----END PUBLIC KEY-----", "")
                    .replaceAll("\\s", "");
            der = Base64.getDecoder().decode(body);
        } catch (IllegalArgumentException e) {
            throw usage("the PEM public key is not valid base64");
        }
        for (String algorithm : new String[] {"Ed25519", "EC", "RSA"}) {
            PublicKey key;
            try {
                key = KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der));
            } catch (java.security.GeneralSecurityException | RuntimeException e) {
                continue;
            }
            if (key instanceof RSAPublicKey) {
                return new RSAKey.Builder((RSAPublicKey) key).build();
            }
            if (key instanceof ECPublicKey) {
                Curve curve = Curve.forECParameterSpec(((ECPublicKey) key).getParams());
                if (curve == null) {
                    throw usage("the EC public key is on a curve that is not accepted (P-256, P-384, P-521)");
                }
                return new ECKey.Builder(curve, (ECPublicKey) key).build();
            }
            if (der.length != ED25519_SPKI_PREFIX + 32) {
                throw usage("the PEM Ed25519 public key has the wrong length");
            }
            byte[] x = Arrays.copyOfRange(der, ED25519_SPKI_PREFIX, der.length);
            return new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(x)).build();
        }
        throw usage("the PEM public key is not an Ed25519, EC or RSA key");
    }

    private static JWK withKid(JWK key, String kid) {
        if (key instanceof RSAKey) {
            return new RSAKey.Builder((RSAKey) key).keyID(kid).build();
        }
        if (key instanceof ECKey) {
            return new ECKey.Builder((ECKey) key).keyID(kid).build();
        }
        return new OctetKeyPair.Builder((OctetKeyPair) key).keyID(kid).build();
    }

    private static MayflyException usage(String message) {
        return new MayflyException(ErrorCode.USAGE, "Invalid agent: " + message + ".");
    }
}
