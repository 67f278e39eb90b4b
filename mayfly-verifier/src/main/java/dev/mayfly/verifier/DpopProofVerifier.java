package dev.mayfly.verifier;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.mayfly.core.error.MayflyException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Checks DPoP proofs (RFC 9449 §4.3): one well-formed JWS with {@code typ} {@code dpop+jwt}, an asymmetric
 * {@code alg} from the allow-list, a {@code jwk} header that is a public key fitting that {@code alg}, a valid
 * signature by that key, {@code htm} and {@code htu} of this request ({@code htu} compared without query and
 * fragment, normalised), an {@code iat} within the window, a {@code jti} not seen before, the server nonce when
 * one is demanded, and, with an access token, {@code ath} equal to its SHA-256. Thread-safe; build once and share.
 *
 * <p>Replay: every accepted {@code (jkt, jti)} is remembered for twice the {@code iat} window (a proof outside the
 * window is refused on its {@code iat} alone), so memory is bounded by the request rate. The cache is in this
 * process only: a proof replayed to another node within the window is not caught by it. RFC 9449 §11.1 accepts
 * that trade (an {@code iat} window, optionally server nonces); a deployment that needs cross-node replay
 * protection demands nonces, whose short life bounds the replay to one nonce window.
 *
 * <pre>
 * DpopProofVerifier proofs = DpopProofVerifier.builder().clock(clock).build();
 * DpopProof proof = proofs.verify(request.getHeader("DPoP"), "GET", "https://api.example/orders", accessToken);
 * </pre>
 */
public final class DpopProofVerifier {
    /** RFC 9449 §4.2: the media type of a proof. */
    public static final String TYPE = "dpop+jwt";
    /** Proofs longer than this are refused before parsing: an RSA 4096 key and every claim fit in a tenth. */
    static final int MAX_PROOF_CHARS = 8 * 1024;
    /** A longer {@code jti} is refused, so the replay cache holds bounded entries. */
    static final int MAX_JTI_CHARS = 256;

    private final Clock clock;
    private final Duration window;
    private final Set<JWSAlgorithm> algorithms;
    private final DpopNonces nonces;
    private final Cache<String, Boolean> seen;
    private final Ed25519Check ed25519;

    private DpopProofVerifier(Builder b) {
        this.clock = b.clock;
        this.window = b.window;
        this.algorithms = Set.copyOf(b.algorithms);
        this.nonces = b.nonces;
        this.ed25519 = b.ed25519;
        this.seen = Caffeine.newBuilder()
                .maximumSize(b.replayCacheSize)
                .expireAfterWrite(window.multipliedBy(2).plusSeconds(1))
                .ticker(() -> {
                    Instant now = clock.instant();
                    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
                })
                .build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Checks a proof for one request and records its {@code jti}.
     *
     * @param proof       the {@code DPoP} header's value ({@code null} when absent)
     * @param method      the request's method, e.g. {@code POST}
     * @param uri         the request's absolute URI as the client addressed it (query and fragment are ignored)
     * @param accessToken the access token sent with the proof ({@code ath} is then required), or {@code null} at a
     *                    token endpoint
     * @throws MayflyException {@code CREDENTIALS_INVALID} naming the failed check; its details carry
     *                         {@code dpop_error} and, when a nonce is missing or stale, {@code dpop_nonce}
     */
    public DpopProof verify(String proof, String method, String uri, String accessToken) {
        if (proof == null || proof.isBlank()) {
            throw DpopFailure.MISSING.exception();
        }
        if (proof.length() > MAX_PROOF_CHARS || proof.indexOf(',') >= 0) {
            throw (proof.indexOf(',') >= 0 ? DpopFailure.MULTIPLE : DpopFailure.MALFORMED).exception();
        }
        refusePrivateKeyInHeader(proof.trim());
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(proof.trim());
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException | RuntimeException e) {
            throw DpopFailure.MALFORMED.exception();
        }
        JWSHeader header = jwt.getHeader();
        if (header.getType() == null || !TYPE.equalsIgnoreCase(header.getType().getType())) {
            throw DpopFailure.WRONG_TYPE.exception();
        }
        if (!algorithms.contains(header.getAlgorithm())) {
            throw DpopFailure.ALGORITHM.exception();
        }
        JWK jwk = header.getJWK();
        if (jwk == null) {
            throw DpopFailure.NO_PUBLIC_KEY.exception();
        }
        if (jwk.isPrivate()) {
            throw DpopFailure.PRIVATE_KEY.exception();
        }
        checkSignature(jwt, header.getAlgorithm(), jwk);
        String jti = claims.getJWTID();
        Date iat = claims.getIssueTime();
        String htm;
        String htu;
        try {
            htm = claims.getStringClaim("htm");
            htu = claims.getStringClaim("htu");
        } catch (ParseException e) {
            throw DpopFailure.MISSING_CLAIM.exception();
        }
        if (jti == null || jti.isEmpty() || jti.length() > MAX_JTI_CHARS || iat == null || htm == null || htu == null) {
            throw DpopFailure.MISSING_CLAIM.exception();
        }
        if (!htm.equals(method)) {
            throw DpopFailure.WRONG_METHOD.exception();
        }
        String expected = HttpTargetUri.normalise(uri);
        if (expected == null || !expected.equals(HttpTargetUri.normalise(htu))) {
            throw DpopFailure.WRONG_URI.exception();
        }
        checkNonce(claims);
        Instant now = clock.instant();
        Instant issued = iat.toInstant();
        if (issued.isBefore(now.minus(window)) || issued.isAfter(now.plus(window))) {
            throw DpopFailure.STALE.exception();
        }
        if (accessToken != null) {
            checkAth(claims, accessToken);
        }
        String thumbprint = thumbprint(jwk);
        // Recorded last, so that a proof refused for another reason does not burn its jti.
        if (seen.asMap().putIfAbsent(thumbprint + ' ' + jti, Boolean.TRUE) != null) {
            throw DpopFailure.REPLAYED.exception();
        }
        return new DpopProof(thumbprint, jti, issued, header.getAlgorithm().getName());
    }

    /** The RFC 9449 {@code algs} this verifier accepts, for a {@code WWW-Authenticate: DPoP} challenge. */
    public List<String> algorithms() {
        return algorithms.stream().map(JWSAlgorithm::getName).sorted().toList();
    }

    /** The nonce clients should use now, or {@code null} when this verifier demands none. */
    public String currentNonce() {
        return nonces == null ? null : nonces.current();
    }

    /** The RFC 7638 SHA-256 thumbprint of a public JWK, base64url: the {@code cnf.jkt} of RFC 9449 §6.1. */
    static String thumbprint(JWK jwk) {
        try {
            return jwk.computeThumbprint("SHA-256").toString();
        } catch (JOSEException e) {
            throw DpopFailure.NO_PUBLIC_KEY.exception();
        }
    }

    /** RFC 9449 §4.2: {@code ath} is the base64url SHA-256 of the access token's ASCII bytes. */
    static String ath(String accessToken) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(accessToken.getBytes(StandardCharsets.US_ASCII));
            return Base64URL.encode(hash).toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /**
     * RFC 9449 §4.3 step 7 wants a private key in {@code jwk} named as such; Nimbus would only call the whole
     * proof malformed, so the header is read once before it. Private members: {@code d} (EC, OKP, RSA), {@code k}
     * (oct).
     */
    private static void refusePrivateKeyInHeader(String proof) {
        int dot = proof.indexOf('.');
        if (dot <= 0) {
            throw DpopFailure.MALFORMED.exception();
        }
        Map<String, Object> header;
        try {
            header = JSONObjectUtils.parse(new Base64URL(proof.substring(0, dot)).decodeToString());
        } catch (ParseException | RuntimeException e) {
            throw DpopFailure.MALFORMED.exception();
        }
        Object jwk = header.get("jwk");
        if (jwk instanceof Map && (((Map<?, ?>) jwk).containsKey("d") || ((Map<?, ?>) jwk).containsKey("k"))) {
            throw DpopFailure.PRIVATE_KEY.exception();
        }
    }

    private void checkSignature(SignedJWT jwt, JWSAlgorithm alg, JWK jwk) {
        if (!fits(alg, jwk)) {
            throw DpopFailure.KEY_MISMATCH.exception();
        }
        try {
            if (jwk instanceof OctetKeyPair && ed25519 != null) {
                byte[] signature = jwt.getSignature().decode();
                if (signature.length != 64 || !ed25519.verify(((OctetKeyPair) jwk).getDecodedX(), jwt.getSigningInput(),
                        signature)) {
                    throw DpopFailure.BAD_SIGNATURE.exception();
                }
                return;
            }
            if (!jwt.verify(verifierFor(jwk))) {
                throw DpopFailure.BAD_SIGNATURE.exception();
            }
        } catch (JOSEException | RuntimeException e) {
            if (e instanceof MayflyException) {
                throw (MayflyException) e;
            }
            throw DpopFailure.BAD_SIGNATURE.exception();
        }
    }

    private static JWSVerifier verifierFor(JWK jwk) throws JOSEException {
        if (jwk instanceof OctetKeyPair) {
            return new Ed25519Verifier((OctetKeyPair) jwk);
        }
        return jwk instanceof ECKey ? new ECDSAVerifier((ECKey) jwk) : new RSASSAVerifier((RSAKey) jwk);
    }

    /** Algorithm confusion stops here: Ed25519 OKP for EdDSA, P-256 for ES256, RSA of 2048 bits or more for RS/PS. */
    private static boolean fits(JWSAlgorithm alg, JWK jwk) {
        if (JWSAlgorithm.EdDSA.equals(alg) || JWSAlgorithm.Ed25519.equals(alg)) {
            return jwk instanceof OctetKeyPair && Curve.Ed25519.equals(((OctetKeyPair) jwk).getCurve());
        }
        if (JWSAlgorithm.ES256.equals(alg)) {
            return jwk instanceof ECKey && Curve.P_256.equals(((ECKey) jwk).getCurve());
        }
        if (JWSAlgorithm.Family.RSA.contains(alg)) {
            return jwk instanceof RSAKey && ((RSAKey) jwk).size() >= KeyFit.MIN_RSA_BITS;
        }
        return false;
    }

    private void checkNonce(JWTClaimsSet claims) {
        if (nonces == null) {
            return;
        }
        Object nonce = claims.getClaim("nonce");
        if (!(nonce instanceof String) || !nonces.accepts((String) nonce)) {
            throw new MayflyException(DpopFailure.NONCE_REQUIRED.error()
                    .detail(DpopFailure.DETAIL_NONCE, nonces.current()).build());
        }
    }

    private static void checkAth(JWTClaimsSet claims, String accessToken) {
        Object ath = claims.getClaim("ath");
        if (!(ath instanceof String)) {
            throw DpopFailure.MISSING_ATH.exception();
        }
        if (!MessageDigest.isEqual(((String) ath).getBytes(StandardCharsets.US_ASCII),
                ath(accessToken).getBytes(StandardCharsets.US_ASCII))) {
            throw DpopFailure.WRONG_ATH.exception();
        }
    }

    /** Configures a {@link DpopProofVerifier}. Not thread-safe. */
    public static final class Builder {
        Clock clock = Clock.systemUTC();
        Duration window = Duration.ofSeconds(60);
        final Set<JWSAlgorithm> algorithms = new LinkedHashSet<>(List.of(
                JWSAlgorithm.EdDSA, JWSAlgorithm.Ed25519, JWSAlgorithm.ES256, JWSAlgorithm.RS256, JWSAlgorithm.PS256));
        DpopNonces nonces;
        long replayCacheSize = 1_000_000;
        Ed25519Check ed25519;

        Builder() {
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        /** How far a proof's {@code iat} may be from now, either way; default 60 s. */
        public Builder window(Duration window) {
            if (window.isNegative() || window.isZero()) {
                throw new IllegalArgumentException("window must be positive");
            }
            this.window = window;
            return this;
        }

        /**
         * The proof algorithms accepted; default {@code EdDSA}, {@code Ed25519}, {@code ES256}, {@code RS256},
         * {@code PS256}. Only asymmetric ones: {@code none} and HMAC are refused (RFC 9449 §4.3 step 5).
         */
        public Builder algorithms(String... names) {
            algorithms.clear();
            for (String n : names) {
                JWSAlgorithm alg = JWSAlgorithm.parse(n);
                if (!JWSAlgorithm.Family.SIGNATURE.contains(alg) && !JWSAlgorithm.Ed25519.equals(alg)) {
                    throw new IllegalArgumentException("not an asymmetric JWS algorithm: " + n);
                }
                algorithms.add(alg);
            }
            return this;
        }

        /** Demands a server nonce in every proof (RFC 9449 §8, §9); by default none is demanded. */
        public Builder nonces(DpopNonces nonces) {
            this.nonces = Objects.requireNonNull(nonces);
            return this;
        }

        /**
         * Checks Ed25519 proof signatures with {@code check} instead of Nimbus' verifier (Tink). The signature is the
         * cost of a proof, so a server that has a faster Ed25519 at hand plugs it in (the broker: Bouncy Castle's,
         * BENCHMARKS.md "DPoP at the token endpoint").
         */
        public Builder ed25519(Ed25519Check check) {
            this.ed25519 = Objects.requireNonNull(check);
            return this;
        }

        /** At most this many recent proofs are remembered for replay detection; default 1 000 000. */
        public Builder replayCacheSize(long entries) {
            if (entries <= 0) {
                throw new IllegalArgumentException("replayCacheSize must be positive");
            }
            this.replayCacheSize = entries;
            return this;
        }

        public DpopProofVerifier build() {
            return new DpopProofVerifier(this);
        }
    }
}
