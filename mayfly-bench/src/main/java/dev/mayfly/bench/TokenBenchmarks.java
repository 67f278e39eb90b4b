package dev.mayfly.bench;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.Ed25519Signer;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.mayfly.server.crypto.BouncyCastleEd25519Signer;
import dev.mayfly.verifier.Decision;
import dev.mayfly.verifier.JwksSource;
import dev.mayfly.verifier.TokenVerifier;
import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.EdECPoint;
import java.security.spec.EdECPublicKeySpec;
import java.security.spec.NamedParameterSpec;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Signing and verification of Mayfly access tokens per algorithm: the raw signature operation (the broker's signer),
 * the verifier's first verification of a token (full pipeline, cache off) and of a token it has seen
 * before (cache on). The numbers that choose the default algorithm.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class TokenBenchmarks {
    private static final String ISSUER = "https://broker.bench";
    private static final String AUDIENCE = "https://api.bench";

    private JWSSigner edSigner;
    private JWSSigner edSignerTink;
    private JWSSigner rsSigner;
    private JWSVerifier edVerifier;
    private JWSVerifier rsVerifier;
    private PublicKey edPublic;
    private JWSHeader edHeader;
    private JWSHeader rsHeader;
    private String edToken;
    private String rsToken;
    private TokenVerifier uncached;
    private TokenVerifier cached;
    private TokenVerifier uncachedRs;

    @Setup
    public void setUp() throws Exception {
        OctetKeyPair ed = new OctetKeyPairGenerator(Curve.Ed25519).keyID("ed").algorithm(JWSAlgorithm.EdDSA).generate();
        RSAKey rs = new RSAKeyGenerator(2048).keyID("rs").algorithm(JWSAlgorithm.RS256).generate();
        edSigner = new BouncyCastleEd25519Signer(ed);
        edSignerTink = new Ed25519Signer(ed);
        rsSigner = new RSASSASigner(rs);
        edVerifier = new Ed25519Verifier(ed.toPublicJWK());
        edPublic = jdkPublicKey(ed.getDecodedX());
        rsVerifier = new RSASSAVerifier(rs.toPublicJWK());
        edHeader = new JWSHeader.Builder(JWSAlgorithm.EdDSA).type(new JOSEObjectType("at+jwt")).keyID("ed").build();
        rsHeader = new JWSHeader.Builder(JWSAlgorithm.RS256).type(new JOSEObjectType("at+jwt")).keyID("rs").build();
        edToken = sign(edHeader, edSigner);
        rsToken = sign(rsHeader, rsSigner);
        JWKSet keys = new JWKSet(List.of(ed.toPublicJWK(), rs.toPublicJWK()));
        uncached = TokenVerifier.builder().issuer(ISSUER).audience(AUDIENCE).jwks(JwksSource.ofJson(keys::toString))
                .verificationCacheSize(0).build();
        uncachedRs = uncached;
        cached = TokenVerifier.builder().issuer(ISSUER).audience(AUDIENCE).jwks(JwksSource.ofJson(keys::toString)).build();
        if (!cached.verify(edToken, List.of("orders:read")).allowed()) {
            throw new IllegalStateException("benchmark token does not verify");
        }
    }

    /** RFC 8032 §5.1.3: little-endian y, the sign of x in the top bit. */
    private static PublicKey jdkPublicKey(byte[] x) throws Exception {
        byte[] y = new byte[32];
        for (int i = 0; i < 32; i++) {
            y[i] = x[31 - i];
        }
        boolean xOdd = (y[0] & 0x80) != 0;
        y[0] &= 0x7f;
        return KeyFactory.getInstance("Ed25519").generatePublic(
                new EdECPublicKeySpec(NamedParameterSpec.ED25519, new EdECPoint(xOdd, new BigInteger(1, y))));
    }

    private static String sign(JWSHeader header, JWSSigner signer) throws Exception {
        SignedJWT jwt = new SignedJWT(header, claims());
        jwt.sign(signer);
        return jwt.serialize();
    }

    private static JWTClaimsSet claims() {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder()
                .issuer(ISSUER).subject("agt_bench0000000000000").audience(AUDIENCE)
                .issueTime(Date.from(now)).notBeforeTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(3600)))
                .jwtID(Long.toHexString(System.nanoTime()))
                .claim("client_id", "cid_bench").claim("scope", "orders:read orders:write")
                .claim("sid", "ses_bench").claim("task", "tsk_bench").claim("tier", "standard")
                .build();
    }

    /** EdDSA as the broker signs: Bouncy Castle's Ed25519. */
    @Benchmark
    public String signEdDSA() throws Exception {
        return sign(edHeader, edSigner);
    }

    /** EdDSA through Nimbus' own signer (Tink), which the broker used before: the same bytes, slower. */
    @Benchmark
    public String signEdDSATink() throws Exception {
        return sign(edHeader, edSignerTink);
    }

    @Benchmark
    public String signRS256() throws Exception {
        return sign(rsHeader, rsSigner);
    }

    /** Nimbus' own Ed25519 verifier (Tink), which mayfly-verifier used before it moved to the JDK's. */
    @Benchmark
    public boolean verifyRawEdDSA() throws Exception {
        return SignedJWT.parse(edToken).verify(edVerifier);
    }

    /** The JDK's Ed25519 (since 15), as mayfly-verifier now checks it: same parse, same bytes. */
    @Benchmark
    public boolean verifyRawEdDSAJdk() throws Exception {
        SignedJWT jwt = SignedJWT.parse(edToken);
        Signature s = Signature.getInstance("Ed25519");
        s.initVerify(edPublic);
        s.update(jwt.getSigningInput());
        return s.verify(jwt.getSignature().decode());
    }

    @Benchmark
    public boolean verifyRawRS256() throws Exception {
        return SignedJWT.parse(rsToken).verify(rsVerifier);
    }

    /** The verifier's whole pipeline on a token it has not seen (cache off). */
    @Benchmark
    public Decision verifierFirstEdDSA() {
        return uncached.verify(edToken, List.of("orders:read"));
    }

    @Benchmark
    public Decision verifierFirstRS256() {
        return uncachedRs.verify(rsToken, List.of("orders:read"));
    }

    /** A token seen before: signature work skipped, time, revocation and scope still checked. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public Decision verifierSeenBefore() {
        return cached.verify(edToken, List.of("orders:read"));
    }
}
