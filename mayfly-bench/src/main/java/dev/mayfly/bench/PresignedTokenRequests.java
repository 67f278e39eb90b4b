package dev.mayfly.bench;

import com.nimbusds.jose.JOSEException;
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
import java.io.BufferedWriter;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

/**
 * Pre-signed token requests for a load generator that cannot sign (wrk's Lua, bench/dpop.sh): a file of N
 * lines, one request each, {@code <DPoP proof>\t<form body>}, either field empty when the scenario does not use
 * it. Every DPoP proof (RFC 9449 §4.2) has its own {@code jti}, {@code iat} = now, {@code htm} POST and
 * {@code htu} the broker's token URL, all by one Ed25519 key; every {@code private_key_jwt} assertion (RFC 7523
 * §2.2) its own {@code jti}, {@code aud} the token URL and {@code exp} {@link #ASSERTION_LIFETIME} ahead (within
 * the broker's 10-minute cap). Proofs must be used within the broker's {@code iat} window (60 s, not
 * configurable), so the script signs one chunk just before each phase it feeds.
 *
 * <pre>
 * PresignedTokenRequests keys DIR                     # DIR/dpop.jwk, DIR/client.jwk (private, 0600), DIR/client.pub.jwk
 * PresignedTokenRequests sign --token-url URL --count N --out FILE [--dpop-key FILE]
 *                             [--client-id ID --client-key FILE]
 * </pre>
 * <p>{@code sign} prints how long signing took on stderr. Signing runs on every core (the signer is stateless).
 */
public final class PresignedTokenRequests {
    /** Long enough for a warm-up or a run, well inside the broker's cap (AssertionAuthenticator.MAX_LIFETIME). */
    static final Duration ASSERTION_LIFETIME = Duration.ofMinutes(5);
    /** The key id the client key is registered under and its assertions name. */
    static final String CLIENT_KID = "bench-client";
    private static final String ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    private final String tokenUrl;
    private final Clock clock;
    private final JWSHeader proofHeader;
    private final JWSSigner proofSigner;
    private final String clientId;
    private final JWSSigner clientSigner;

    /**
     * @param dpopKey   the proofs' key, or {@code null} for requests without a proof
     * @param clientId  the key-bound agent's client id, or {@code null} for requests without an assertion
     * @param clientKey that agent's registered key (private), with {@code clientId}
     */
    PresignedTokenRequests(String tokenUrl, Clock clock, OctetKeyPair dpopKey, String clientId, OctetKeyPair clientKey)
            throws JOSEException {
        this.tokenUrl = tokenUrl;
        this.clock = clock;
        this.proofHeader = dpopKey == null ? null : new JWSHeader.Builder(JWSAlgorithm.EdDSA)
                .type(new JOSEObjectType("dpop+jwt")).jwk(dpopKey.toPublicJWK()).build();
        this.proofSigner = dpopKey == null ? null : new BouncyCastleEd25519Signer(dpopKey);
        this.clientId = clientId;
        this.clientSigner = clientId == null ? null : new BouncyCastleEd25519Signer(clientKey);
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("keys")) {
            writeKeys(Path.of(args[1]));
            return;
        }
        Map<String, String> opts = options(args);
        if (!"sign".equals(args.length > 0 ? args[0] : null) || !opts.containsKey("--token-url")
                || !opts.containsKey("--count") || !opts.containsKey("--out")
                || opts.containsKey("--client-id") != opts.containsKey("--client-key")) {
            System.err.println("usage: PresignedTokenRequests keys DIR\n"
                    + "       PresignedTokenRequests sign --token-url URL --count N --out FILE [--dpop-key FILE]"
                    + " [--client-id ID --client-key FILE]");
            System.exit(2);
        }
        long start = System.nanoTime();
        PresignedTokenRequests requests = new PresignedTokenRequests(opts.get("--token-url"), Clock.systemUTC(),
                opts.containsKey("--dpop-key") ? readKey(Path.of(opts.get("--dpop-key"))) : null,
                opts.get("--client-id"), opts.containsKey("--client-key") ? readKey(Path.of(opts.get("--client-key"))) : null);
        int count = Integer.parseInt(opts.get("--count"));
        requests.write(Path.of(opts.get("--out")), count);
        System.err.printf("signed %d requests in %.1f s%n", count, (System.nanoTime() - start) / 1e9);
    }

    /** {@code count} lines into {@code out}, signed in blocks on every core and written in order. */
    void write(Path out, int count) throws IOException {
        int block = 8192;
        try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.US_ASCII)) {
            for (int from = 0; from < count; from += block) {
                String[] lines = IntStream.range(from, Math.min(count, from + block)).parallel()
                        .mapToObj(i -> line()).toArray(String[]::new);
                for (String l : lines) {
                    w.write(l);
                    w.write('\n');
                }
            }
        }
    }

    /** One request: {@code <proof>\t<form body>}. */
    String line() {
        Instant now = clock.instant();
        String proof = proofSigner == null ? "" : sign(proofHeader, proofSigner, new JWTClaimsSet.Builder()
                .jwtID(UUID.randomUUID().toString()).claim("htm", "POST").claim("htu", tokenUrl)
                .issueTime(Date.from(now)).build());
        String body = clientSigner == null ? "" : "grant_type=client_credentials&client_id=" + encode(clientId)
                + "&client_assertion_type=" + encode(ASSERTION_TYPE) + "&client_assertion=" + sign(
                new JWSHeader.Builder(JWSAlgorithm.EdDSA).keyID(CLIENT_KID).build(), clientSigner,
                new JWTClaimsSet.Builder().issuer(clientId).subject(clientId).audience(tokenUrl)
                        .issueTime(Date.from(now)).expirationTime(Date.from(now.plus(ASSERTION_LIFETIME)))
                        .jwtID(UUID.randomUUID().toString()).build());
        return proof + '\t' + body;
    }

    private static String sign(JWSHeader header, JWSSigner signer, JWTClaimsSet claims) {
        SignedJWT jwt = new SignedJWT(header, claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign: " + e.getMessage(), e);
        }
        return jwt.serialize();
    }

    /** Two fresh Ed25519 keys: one for DPoP proofs, one to register as a key-bound agent's (its public half too). */
    static void writeKeys(Path dir) throws JOSEException, IOException {
        Files.createDirectories(dir);
        writePrivate(dir.resolve("dpop.jwk"), new OctetKeyPairGenerator(Curve.Ed25519).generate());
        OctetKeyPair client = new OctetKeyPairGenerator(Curve.Ed25519).keyID(CLIENT_KID).generate();
        writePrivate(dir.resolve("client.jwk"), client);
        Files.writeString(dir.resolve("client.pub.jwk"), client.toPublicJWK().toJSONString());
    }

    private static void writePrivate(Path file, OctetKeyPair key) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, key.toJSONString());
    }

    static OctetKeyPair readKey(Path file) throws IOException, ParseException {
        return OctetKeyPair.parse(Files.readString(file));
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 1; i + 1 < args.length; i += 2) {
            opts.put(args[i], args[i + 1]);
        }
        return opts;
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
