package dev.mayfly.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.core.json.Json;
import dev.mayfly.core.secret.Secret;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An agent's DPoP key (RFC 9449): an Ed25519 key pair that signs one proof per request, so the tokens the broker
 * binds to it ({@code cnf.jkt}) are useless to anyone who copies them without the key. The JDK's own Ed25519
 * (no JOSE library: this SDK stays small), proofs with {@code typ} {@code dpop+jwt}, {@code alg} {@code EdDSA}
 * and the public key as {@code jwk}. Thread-safe and immutable; {@link #toString()} shows only the thumbprint.
 *
 * <pre>{@code
 * DpopKey key = DpopKey.generate();
 * String proof = key.proof("GET", URI.create("https://api.example/orders"), accessToken, null, clock.instant());
 * }</pre>
 */
public final class DpopKey {
    /** RFC 8410 DER prefixes: SubjectPublicKeyInfo and PKCS #8 PrivateKeyInfo of an Ed25519 key, before its 32 bytes. */
    private static final byte[] X509_PREFIX = hex("302a300506032b6570032100");
    private static final byte[] PKCS8_PREFIX = hex("302e020100300506032b657004220420");
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] x;
    private final PrivateKey privateKey;
    private final byte[] d;
    private final String thumbprint;

    private DpopKey(byte[] x, byte[] d) throws GeneralSecurityException {
        this.x = x.clone();
        this.d = d.clone();
        this.privateKey = KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(concat(PKCS8_PREFIX, d)));
        this.thumbprint = computeThumbprint(this.x);
    }

    /** A fresh random Ed25519 key. */
    public static DpopKey generate() {
        try {
            KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            byte[] spki = pair.getPublic().getEncoded();
            byte[] pkcs8 = pair.getPrivate().getEncoded();
            return new DpopKey(Arrays.copyOfRange(spki, spki.length - 32, spki.length),
                    Arrays.copyOfRange(pkcs8, pkcs8.length - 32, pkcs8.length));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 is part of every JDK since 15", e);
        }
    }

    /**
     * The key from its private JWK ({@code {"kty":"OKP","crv":"Ed25519","x":..,"d":..}}), as {@link #privateJwk()}
     * writes it (the CLI keeps it in its credential cache).
     *
     * @throws IllegalArgumentException when it is not an Ed25519 private JWK whose {@code x} matches its {@code d}
     */
    public static DpopKey fromPrivateJwk(Secret jwk) {
        try {
            JsonNode n = Json.mapper().readTree(jwk.reveal());
            if (!"OKP".equals(n.path("kty").asText()) || !"Ed25519".equals(n.path("crv").asText())) {
                throw new IllegalArgumentException("a DPoP key must be an Ed25519 OKP JWK");
            }
            Base64.Decoder dec = Base64.getUrlDecoder();
            byte[] x = dec.decode(n.path("x").asText());
            byte[] d = dec.decode(n.path("d").asText());
            if (x.length != 32 || d.length != 32) {
                throw new IllegalArgumentException("an Ed25519 key has 32-byte x and d");
            }
            DpopKey key = new DpopKey(x, d);
            // A key whose x is not its d's public half would sign proofs that never verify: refuse it here.
            PublicKey pub = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(concat(X509_PREFIX, x)));
            Signature s = Signature.getInstance("Ed25519");
            s.initVerify(pub);
            byte[] probe = "mayfly-dpop-key-check".getBytes(StandardCharsets.US_ASCII);
            s.update(probe);
            if (!s.verify(key.sign(probe))) {
                throw new IllegalArgumentException("the JWK's x is not the public key of its d");
            }
            return key;
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            if (e instanceof IllegalArgumentException) {
                throw (IllegalArgumentException) e;
            }
            throw new IllegalArgumentException("not a usable Ed25519 private JWK");
        }
    }

    /** The private JWK, for storing the key (0600, never printed): a {@link Secret}, so it is never logged by accident. */
    public Secret privateJwk() {
        Map<String, Object> m = new LinkedHashMap<>(publicJwk());
        m.put("d", B64.encodeToString(d));
        return Secret.of(Json.write(m));
    }

    /** The public JWK, as the {@code jwk} header of every proof. */
    public Map<String, Object> publicJwk() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kty", "OKP");
        m.put("crv", "Ed25519");
        m.put("x", B64.encodeToString(x));
        return m;
    }

    /** The RFC 7638 SHA-256 thumbprint (base64url): the {@code cnf.jkt} of every token bound to this key. */
    public String thumbprint() {
        return thumbprint;
    }

    /**
     * A fresh proof (RFC 9449 §4.2) for one request: a random {@code jti}, {@code htm}, {@code htu} (the URI
     * without query and fragment), {@code iat}, and {@code ath} when an access token goes with it, {@code nonce}
     * when the server handed one out.
     *
     * @param accessToken the token sent with the proof, or {@code null} (at the token endpoint)
     * @param nonce       the server's {@code DPoP-Nonce}, or {@code null}
     */
    public String proof(String method, URI uri, String accessToken, String nonce, Instant now) {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("typ", "dpop+jwt");
        header.put("alg", "EdDSA");
        header.put("jwk", publicJwk());
        byte[] jti = new byte[16];
        RANDOM.nextBytes(jti);
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("jti", B64.encodeToString(jti));
        claims.put("htm", Objects.requireNonNull(method, "method"));
        claims.put("htu", htu(uri));
        claims.put("iat", now.getEpochSecond());
        if (accessToken != null) {
            claims.put("ath", B64.encodeToString(sha256(accessToken.getBytes(StandardCharsets.US_ASCII))));
        }
        if (nonce != null) {
            claims.put("nonce", nonce);
        }
        String input = B64.encodeToString(Json.write(header).getBytes(StandardCharsets.UTF_8)) + "."
                + B64.encodeToString(Json.write(claims).getBytes(StandardCharsets.UTF_8));
        return input + "." + B64.encodeToString(sign(input.getBytes(StandardCharsets.US_ASCII)));
    }

    /** RFC 9449 §4.2: {@code htu} is the target URI without query and fragment. */
    static String htu(URI uri) {
        String s = uri.toString();
        int cut = s.length();
        for (char c : new char[] {'?', '#'}) {
            int i = s.indexOf(c);
            if (i >= 0 && i < cut) {
                cut = i;
            }
        }
        return s.substring(0, cut);
    }

    private byte[] sign(byte[] input) {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(privateKey);
            s.update(input);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed", e);
        }
    }

    /** RFC 7638 §3: SHA-256 over the required members in lexicographic order, no whitespace. */
    private static String computeThumbprint(byte[] x) {
        String canonical = "{\"crv\":\"Ed25519\",\"kty\":\"OKP\",\"x\":\"" + B64.encodeToString(x) + "\"}";
        return B64.encodeToString(sha256(canonical.getBytes(StandardCharsets.UTF_8)));
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] hex(String s) {
        byte[] out = new byte[s.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }

    @Override
    public String toString() {
        return "DpopKey[jkt=" + thumbprint + "]";
    }
}
