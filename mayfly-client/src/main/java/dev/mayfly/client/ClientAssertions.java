package dev.mayfly.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.core.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.EdECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPrivateKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Client assertions for logging in without a client secret (RFC 7523 §2.2), to hand to
 * {@link TokenSource.Builder#clientAssertion} or {@link OAuthClient#loginWithAssertion}:
 *
 * <ul>
 *   <li>{@link #privateKeyJwt}: the agent signs its own short assertion ({@code iss} = {@code sub} = client id,
 *       {@code aud} = the broker, a fresh {@code jti}, one minute of life) with the private key whose public half
 *       is registered with the broker. Ed25519, EC P-256/P-384/P-521 and RSA keys, as a JWK or a PKCS #8 PEM.</li>
 *   <li>{@link #fromFile}: a token the platform writes and renews (a Kubernetes projected service-account token),
 *       read again on every login.</li>
 * </ul>
 *
 * Uses the JDK's own signatures only. The suppliers are thread-safe.
 */
public final class ClientAssertions {
    /** The {@code client_assertion_type} of a JWT assertion (RFC 7523 §2.2). */
    public static final String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    /** How long a self-signed assertion is valid: long enough for clock skew, short enough to be useless later. */
    static final Duration LIFETIME = Duration.ofSeconds(60);
    private static final SecureRandom RANDOM = new SecureRandom();

    private ClientAssertions() {
    }

    /**
     * Fresh {@code private_key_jwt} assertions, one per call.
     *
     * @param clientId   the agent's client id ({@code iss} and {@code sub})
     * @param privateKey the private key: a JWK JSON object (with {@code d}) or a PEM {@code PRIVATE KEY} (PKCS #8)
     * @param broker     the broker's issuer URL, the assertion's {@code aud}
     * @throws IllegalArgumentException when the key cannot be read or is of a kind not supported
     */
    public static Supplier<String> privateKeyJwt(String clientId, String privateKey, URI broker, Clock clock) {
        SigningKey key = SigningKey.read(privateKey);
        String aud = broker.toString().replaceAll("/+$", "");
        return () -> {
            long now = clock.instant().getEpochSecond();
            Map<String, Object> header = new LinkedHashMap<>();
            header.put("alg", key.alg);
            header.put("typ", "JWT");
            if (key.kid != null) {
                header.put("kid", key.kid);
            }
            Map<String, Object> claims = new LinkedHashMap<>();
            claims.put("iss", clientId);
            claims.put("sub", clientId);
            claims.put("aud", aud);
            claims.put("iat", now);
            claims.put("exp", now + LIFETIME.getSeconds());
            claims.put("jti", randomId());
            String input = b64(Json.writeBytes(header)) + "." + b64(Json.writeBytes(claims));
            return input + "." + b64(key.sign(input.getBytes(StandardCharsets.US_ASCII)));
        };
    }

    /** The token in {@code file}, read on every call (the platform renews it in place), surrounding whitespace trimmed. */
    public static Supplier<String> fromFile(Path file) {
        return () -> {
            try {
                return Files.readString(file, StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the client assertion file " + file, e);
            }
        };
    }

    private static String randomId() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return b64(b);
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** A private key, the JWS algorithm it signs with (RFC 7518 §3, RFC 8037) and its {@code kid}. */
    private static final class SigningKey {
        final PrivateKey key;
        final String alg;
        final String jca;
        final String kid;

        SigningKey(PrivateKey key, String alg, String jca, String kid) {
            this.key = key;
            this.alg = alg;
            this.jca = jca;
            this.kid = kid;
        }

        byte[] sign(byte[] input) {
            try {
                Signature s = Signature.getInstance(jca);
                s.initSign(key);
                s.update(input);
                return s.sign();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("signing the client assertion failed", e);
            }
        }

        static SigningKey read(String text) {
            String t = text == null ? "" : text.strip();
            try {
                if (t.startsWith("{")) {
                    return fromJwk(Json.mapper().readTree(t));
                }
                if (t.startsWith("-----BEGIN PRIVATE KEY-----")) {
                    return fromPkcs8(Base64.getMimeDecoder().decode(t.replace("-----BEGIN PRIVATE KEY-----", "")
                            .replace("-----END PRIVATE KEY-----", "")));
                }
            } catch (IOException | GeneralSecurityException | RuntimeException e) {
                throw new IllegalArgumentException("the private key cannot be read (" + e.getClass().getSimpleName() + ")");
            }
            throw new IllegalArgumentException("the private key must be a JWK (JSON with d) or a PEM 'PRIVATE KEY' (PKCS #8)");
        }

        private static SigningKey fromPkcs8(byte[] der) throws GeneralSecurityException {
            for (String algorithm : new String[] {"Ed25519", "EC", "RSA"}) {
                PrivateKey k;
                try {
                    k = KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
                } catch (GeneralSecurityException | RuntimeException e) {
                    continue;
                }
                return of(k, null);
            }
            throw new GeneralSecurityException("not an Ed25519, EC or RSA private key");
        }

        private static SigningKey fromJwk(JsonNode jwk) throws GeneralSecurityException {
            String kty = jwk.path("kty").asText();
            String kid = jwk.hasNonNull("kid") ? jwk.get("kid").asText() : null;
            if (!jwk.hasNonNull("d")) {
                throw new GeneralSecurityException("the JWK holds no private key (d)");
            }
            BigInteger d = new BigInteger(1, unb64(jwk.get("d").asText()));
            switch (kty) {
                case "OKP":
                    if (!"Ed25519".equals(jwk.path("crv").asText())) {
                        throw new GeneralSecurityException("only the Ed25519 OKP curve is supported");
                    }
                    return of(KeyFactory.getInstance("Ed25519").generatePrivate(
                            new EdECPrivateKeySpec(NamedParameterSpec.ED25519, unb64(jwk.get("d").asText()))), kid);
                case "EC":
                    AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
                    params.init(new ECGenParameterSpec(stdCurve(jwk.path("crv").asText())));
                    return of(KeyFactory.getInstance("EC").generatePrivate(
                            new ECPrivateKeySpec(d, params.getParameterSpec(ECParameterSpec.class))), kid);
                case "RSA":
                    BigInteger n = new BigInteger(1, unb64(jwk.path("n").asText()));
                    return of(KeyFactory.getInstance("RSA").generatePrivate(new RSAPrivateKeySpec(n, d)), kid);
                default:
                    throw new GeneralSecurityException("unsupported key type " + kty);
            }
        }

        private static SigningKey of(PrivateKey k, String kid) throws GeneralSecurityException {
            if (k instanceof EdECPrivateKey) {
                return new SigningKey(k, "EdDSA", "Ed25519", kid);
            }
            if (k instanceof ECPrivateKey) {
                int bits = ((ECPrivateKey) k).getParams().getCurve().getField().getFieldSize();
                // JWS wants the raw r||s (RFC 7518 §3.4), which the JDK gives in "P1363 format".
                if (bits == 256) {
                    return new SigningKey(k, "ES256", "SHA256withECDSAinP1363Format", kid);
                }
                if (bits == 384) {
                    return new SigningKey(k, "ES384", "SHA384withECDSAinP1363Format", kid);
                }
                if (bits == 521) {
                    return new SigningKey(k, "ES512", "SHA512withECDSAinP1363Format", kid);
                }
                throw new GeneralSecurityException("unsupported EC curve");
            }
            if (k instanceof RSAPrivateKey) {
                if (((RSAPrivateKey) k).getModulus().bitLength() < 2048) {
                    throw new GeneralSecurityException("an RSA key must have at least 2048 bits");
                }
                return new SigningKey(k, "RS256", "SHA256withRSA", kid);
            }
            throw new GeneralSecurityException("unsupported key");
        }

        private static String stdCurve(String crv) throws GeneralSecurityException {
            switch (crv) {
                case "P-256": return "secp256r1";
                case "P-384": return "secp384r1";
                case "P-521": return "secp521r1";
                default: throw new GeneralSecurityException("unsupported EC curve " + crv);
            }
        }

        private static byte[] unb64(String s) {
            return Base64.getUrlDecoder().decode(s);
        }
    }
}
