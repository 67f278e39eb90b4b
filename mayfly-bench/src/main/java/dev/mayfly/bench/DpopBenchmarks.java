package dev.mayfly.bench;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.mayfly.server.crypto.BouncyCastleEd25519Signer;
import dev.mayfly.verifier.DpopProof;
import dev.mayfly.verifier.DpopProofVerifier;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What DPoP adds to one issuance at the broker (RFC 9449 §4.3): checking the request's proof, i.e. parsing it,
 * verifying its Ed25519 signature by the key in its header, the RFC 7638 thumbprint, and the {@code jti} entering
 * the replay cache. Every proof is distinct (as in real traffic: a replayed one is refused), so a pool is signed
 * before each iteration, outside the measurement, and the verifier (with its replay cache) is new per iteration.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class DpopBenchmarks {
    static final String HTU = "https://broker.bench/oauth/token";
    private static final Instant NOW = Instant.parse("2026-12-07T22:00:00Z");
    /** More than an iteration can use at the rates measured (a few thousand per second, iterations of 1-2 s). */
    static int poolSize = 40_000;

    private String[] proofs;
    private int next;
    private DpopProofVerifier verifier;

    @Setup(Level.Iteration)
    public void setUp() throws Exception {
        OctetKeyPair key = new OctetKeyPairGenerator(Curve.Ed25519).generate();
        JWSSigner signer = new BouncyCastleEd25519Signer(key);
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.EdDSA).type(new JOSEObjectType("dpop+jwt"))
                .jwk(key.toPublicJWK()).build();
        proofs = new String[poolSize];
        for (int i = 0; i < proofs.length; i++) {
            SignedJWT jwt = new SignedJWT(header, new JWTClaimsSet.Builder().jwtID("j" + i + "-" + System.nanoTime())
                    .claim("htm", "POST").claim("htu", HTU).issueTime(Date.from(NOW)).build());
            jwt.sign(signer);
            proofs[i] = jwt.serialize();
        }
        next = 0;
        verifier = DpopProofVerifier.builder().clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();
    }

    /** The broker's per-issuance DPoP work: one proof of a token request, checked in full. */
    @Benchmark
    public DpopProof verifyTokenEndpointProof() {
        return verifier.verify(proofs[next++ % proofs.length], "POST", HTU, null);
    }
}
