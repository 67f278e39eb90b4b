package dev.mayfly.verifier.attack;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.DirectEncrypter;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.Ed25519Signer;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A catalogue of forged, bent and garbled access tokens (RFC 8725 §2 threats, RFC 7515/7519 edge cases),
 * built around one genuine token: its issuer's private signing key and its claims. Wherever it can, an
 * attack is signed with the genuine key, so the one thing wrong with it is the thing the attack is about
 * and a verifier cannot pass the test by failing the signature for the wrong reason.
 *
 * <p>Every token here must be refused as {@code CREDENTIALS_INVALID}: never allowed, never
 * {@code CREDENTIALS_EXPIRED} (expiry is only reported for an authentic token), never
 * {@code PERMISSION_DENIED}. The verifier's attack test and the broker's over-HTTP attack test share it.
 */
public final class AttackTokens {
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * What the attacks are built around.
     *
     * @param signingKey  the issuer's genuine private key (its {@code kid} is the published one)
     * @param claims      a genuine token's claims, valid at {@code now}
     * @param now         the verifier's current time
     * @param recorderUrl a URL on a socket that records connections: key-fetching headers point there
     */
    public record Target(JWK signingKey, JWTClaimsSet claims, Instant now, String recorderUrl) {
        String kid() {
            return signingKey.getKeyID();
        }

        JWSAlgorithm algorithm() {
            return signingKey instanceof RSAKey ? JWSAlgorithm.RS256 : JWSAlgorithm.EdDSA;
        }
    }

    /**
     * One attack.
     *
     * @param name             what is wrong with the token, for the test report
     * @param token            the token as presented
     * @param aboutTheAudience true when the only flaw is a well-formed audience that is not the verifier's:
     *                         refused where an audience is required, accepted where any audience is
     */
    public record Attack(String name, String token, boolean aboutTheAudience) {
        @Override
        public String toString() {
            return name;
        }
    }

    private final Target t;
    private final List<Attack> out = new ArrayList<>();

    private AttackTokens(Target target) {
        this.t = target;
    }

    /** Every attack of the catalogue against {@code target}. */
    public static List<Attack> against(Target target) {
        AttackTokens a = new AttackTokens(target);
        a.algorithms();
        a.keyIds();
        a.keyBearingHeaders();
        a.nestingAndEncryption();
        a.sizes();
        a.encodings();
        a.duplicateMembers();
        a.timeClaims();
        a.typesIssuersAudiences();
        a.missingAndMistypedClaims();
        a.signatures();
        return List.copyOf(a.out);
    }

    /** The genuine header: {@code alg}, {@code typ: at+jwt}, {@code kid}. */
    public static Map<String, Object> genuineHeader(Target t) {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("alg", t.algorithm().getName());
        h.put("typ", "at+jwt");
        h.put("kid", t.kid());
        return h;
    }

    /** The genuine token itself: the control every attack is a variation of. */
    public static String genuine(Target t) {
        return signJson(json(genuineHeader(t)), json(t.claims().toJSONObject()), signer(t.signingKey()));
    }

    // ---- the attacks --------------------------------------------------------------------------------

    private void algorithms() {
        for (String none : List.of("none", "None", "NONE", "nOnE")) {
            Map<String, Object> h = header(x -> x.put("alg", none));
            add("alg " + none + ", empty signature", b64(json(h)) + "." + b64(claimsJson()) + ".");
            add("alg " + none + ", made-up signature", b64(json(h)) + "." + b64(claimsJson()) + ".c2lnbmF0dXJl");
        }
        add("alg none, no kid, empty signature",
                b64("{\"alg\":\"none\",\"typ\":\"at+jwt\"}") + "." + b64(claimsJson()) + ".");
        add("alg missing", signed(header(h -> h.remove("alg"))));
        add("alg null", signed(header(h -> h.put("alg", null))));
        add("alg a number", signed(header(h -> h.put("alg", 0))));
        add("alg an array of the genuine one", signed(header(h -> h.put("alg", List.of(t.algorithm().getName())))));
        add("alg in lower case", signed(header(h -> h.put("alg", t.algorithm().getName().toLowerCase()))));
        add("alg with a trailing space", signed(header(h -> h.put("alg", t.algorithm().getName() + " "))));

        // Algorithm confusion (RFC 8725 §2.1): HMAC keyed with what the verifier publishes.
        for (Map.Entry<String, byte[]> secret : publicKeyMaterial().entrySet()) {
            for (JWSAlgorithm hs : List.of(JWSAlgorithm.HS256, JWSAlgorithm.HS512)) {
                if (secret.getValue().length * 8 < minSecretBits(hs)) {
                    continue;
                }
                add(hs.getName() + " keyed with the " + secret.getKey(),
                        signJson(json(header(h -> h.put("alg", hs.getName()))), claimsJson(), mac(secret.getValue())));
            }
        }
        ECKey ec = ec();
        add("ES256 from a key the issuer never published, genuine kid",
                signJson(json(header(h -> h.put("alg", "ES256"))), claimsJson(), ecSigner(ec)));
        if (t.algorithm().equals(JWSAlgorithm.EdDSA)) {
            add("RS256 header over the issuer's Ed25519 kid, signed by an RSA key",
                    signJson(json(header(h -> h.put("alg", "RS256"))), claimsJson(), signer(rsa("attacker-rsa"))));
        } else {
            add("EdDSA header over the issuer's RSA kid, signed by an Ed25519 key",
                    signJson(json(header(h -> h.put("alg", "EdDSA"))), claimsJson(), signer(ed25519("attacker-ed"))));
        }
        add("PS256 header over the genuine key (a signature of another scheme)",
                signJson(json(header(h -> h.put("alg", "PS256"))), claimsJson(), signer(rsa("attacker-ps"))));
    }

    private void keyIds() {
        add("unknown kid", signed(header(h -> h.put("kid", "no-such-key"))));
        add("kid with a path traversal", signed(header(h -> h.put("kid", "../../../../../../etc/passwd"))));
        add("kid with a path traversal to /dev/null", signed(header(h -> h.put("kid", "../../../../dev/null"))));
        add("kid with SQL", signed(header(h -> h.put("kid", "' OR 1=1 --"))));
        add("kid with SQL union", signed(header(h -> h.put("kid", "x' UNION SELECT 'AA' --"))));
        add("kid with a NUL byte", signed(header(h -> h.put("kid", t.kid() + "\u0000"))));
        add("kid with a line break", signed(header(h -> h.put("kid", t.kid() + "\r\nX-Injected: 1"))));
        add("kid as a JNDI lookup", signed(header(h -> h.put("kid", "${jndi:ldap://127.0.0.1:1/a}"))));
        add("kid 2000 characters long", signed(header(h -> h.put("kid", "k".repeat(2000)))));
        add("kid missing", signed(header(h -> h.remove("kid"))));
        add("kid empty", signed(header(h -> h.put("kid", ""))));
        add("kid a number", signed(header(h -> h.put("kid", 1))));
        add("kid an object", signed(header(h -> h.put("kid", Map.of("kid", t.kid())))));
        add("kid an array of the genuine one", signed(header(h -> h.put("kid", List.of(t.kid())))));
        add("kid of the genuine key with different case", signed(header(h -> h.put("kid", swapCase(t.kid())))));
    }

    private void keyBearingHeaders() {
        // Signed with the genuine key, so only the header can make the verifier refuse.
        add("jku pointing at an attacker's JWKS", signed(header(h -> h.put("jku", t.recorderUrl() + "/jwks.json"))));
        add("x5u pointing at an attacker's certificate", signed(header(h -> h.put("x5u", t.recorderUrl() + "/cert.pem"))));
        add("x5c with a certificate chain", signed(header(h -> h.put("x5c", List.of(randomBase64(600))))));
        JWK attacker = ed25519("attacker-embedded");
        add("jwk embedding the attacker's key, signed by it",
                signJson(json(header(h -> {
                    h.put("alg", "EdDSA");
                    h.put("kid", attacker.getKeyID());
                    h.put("jwk", attacker.toPublicJWK().toJSONObject());
                })), claimsJson(), signer(attacker)));
        JWK sameKid = ed25519(t.kid());
        add("jwk embedding the attacker's key under the genuine kid, signed by it",
                signJson(json(header(h -> {
                    h.put("alg", "EdDSA");
                    h.put("jwk", sameKid.toPublicJWK().toJSONObject());
                })), claimsJson(), signer(sameKid)));
        add("jku pointing at an attacker's JWKS, signed by the attacker",
                signJson(json(header(h -> {
                    h.put("alg", "EdDSA");
                    h.put("kid", attacker.getKeyID());
                    h.put("jku", t.recorderUrl() + "/attacker-jwks.json");
                })), claimsJson(), signer(attacker)));
        add("crit naming an unknown extension", signed(header(h -> {
            h.put("crit", List.of("mayfly-unknown"));
            h.put("mayfly-unknown", true);
        })));
        add("crit naming a registered claim", signed(header(h -> h.put("crit", List.of("exp")))));
        add("crit empty", signed(header(h -> h.put("crit", List.of()))));
        add("crit a string", signed(header(h -> h.put("crit", "mayfly-unknown"))));
        add("b64 false (unencoded payload)", signed(header(h -> {
            h.put("b64", false);
            h.put("crit", List.of("b64"));
        })));
    }

    private void nestingAndEncryption() {
        String inner = genuine(t);
        add("nested JWT: cty JWT and the genuine token as payload",
                signJson(json(header(h -> h.put("cty", "JWT"))), inner, signer(t.signingKey())));
        add("cty JWT over ordinary claims", signed(header(h -> h.put("cty", "JWT"))));
        add("JWE (dir, A256GCM) carrying the claims", jwe());
        add("JWE header with three parts",
                signJson(json(header(h -> {
                    h.put("alg", "RSA-OAEP-256");
                    h.put("enc", "A256GCM");
                })), claimsJson(), signer(t.signingKey())));
        add("enc member in a JWS header", signed(header(h -> h.put("enc", "A256GCM"))));
        add("zip member in a JWS header", signed(header(h -> h.put("zip", "DEF"))));
    }

    private void sizes() {
        for (int kb : List.of(100, 1024)) {
            add("header padded to " + kb + " KB", signed(header(h -> h.put("pad", "p".repeat(kb * 1024)))));
            add("claims padded to " + kb + " KB", signJson(json(genuineHeader(t)),
                    json(claims(c -> c.put("pad", "p".repeat(kb * 1024)))), signer(t.signingKey())));
        }
        add("header of 5000 nested arrays", b64("[".repeat(5000) + "]".repeat(5000)) + "." + b64(claimsJson()) + ".c2ln");
        add("header object 3000 deep",
                b64("{\"a\":".repeat(3000) + "1" + "}".repeat(3000)) + "." + b64(claimsJson()) + ".c2ln");
        add("claims of 5000 nested arrays, genuinely signed",
                signJson(json(genuineHeader(t)), "[".repeat(5000) + "]".repeat(5000), signer(t.signingKey())));
        add("act claim 3000 deep, genuinely signed", signJson(json(genuineHeader(t)),
                claimsJson().replaceFirst("^\\{", "{\"act\":" + "{\"act\":".repeat(3000) + "{}" + "}".repeat(3000) + ","),
                signer(t.signingKey())));
    }

    /** The same signature with its scalar S (little-endian, bytes 32..63) raised by the group order L. */
    private static byte[] ed25519PlusOrder(byte[] sig) {
        java.math.BigInteger order = java.math.BigInteger.TWO.pow(252).add(new java.math.BigInteger("27742317777372353535851937790883648493"));
        byte[] le = java.util.Arrays.copyOfRange(sig, 32, 64);
        byte[] be = new byte[32];
        for (int i = 0; i < 32; i++) {
            be[i] = le[31 - i];
        }
        byte[] sum = new java.math.BigInteger(1, be).add(order).toByteArray();
        byte[] out = sig.clone();
        for (int i = 0; i < 32; i++) {
            int from = sum.length - 1 - i;
            out[32 + i] = from >= 0 ? sum[from] : 0;
        }
        return out;
    }

    private void encodings() {
        String[] p = genuine(t).split("\\.");
        add("standard base64 alphabet (+ and /) in the header",
                Base64.getEncoder().withoutPadding().encodeToString(("{\"alg\":\"" + t.algorithm().getName()
                        + "\",\"typ\":\"at+jwt\",\"kid\":\"" + t.kid() + "\",\"x\":\"\u00fb\u00ef\u00bf\"}")
                        .getBytes(StandardCharsets.UTF_8)).replace('-', '+').replace('_', '/') + "." + p[1] + "." + p[2]);
        add("padding on every part", pad(p[0]) + "." + pad(p[1]) + "." + pad(p[2]));
        add("header of an impossible base64 length", p[0] + "A." + p[1] + "." + p[2]);
        add("signature of an impossible base64 length", p[0] + "." + p[1] + "." + p[2] + "A");
        if (t.signingKey() instanceof OctetKeyPair) {
            add("Ed25519 signature with S + L (RFC 8032 §5.1.7: S must be below the group order)",
                    p[0] + "." + p[1] + "." + Base64URL.encode(ed25519PlusOrder(Base64URL.from(p[2]).decode())));
            add("Ed25519 signature with a zero byte appended", p[0] + "." + p[1] + "."
                    + Base64URL.encode(java.util.Arrays.copyOf(Base64URL.from(p[2]).decode(), 65)));
        }
        if (nonCanonical(p[2]) != null) {
            add("non-canonical base64 in the signature (unused bits set)", p[0] + "." + p[1] + "." + nonCanonical(p[2]));
        }
        String header = b64(json(header(h -> h.put("x", "ab"))));
        String claims = b64(json(claims(c -> c.put("x", "ab"))));
        for (int i = 0; nonCanonical(header) == null || nonCanonical(claims) == null; i++) {
            int n = i;
            header = b64(json(header(h -> h.put("x", "ab".repeat(n + 1)))));
            claims = b64(json(claims(c -> c.put("x", "ab".repeat(n + 1)))));
        }
        String[] h = signJson(new String(Base64URL.from(header).decode(), StandardCharsets.UTF_8), claimsJson(),
                signer(t.signingKey())).split("\\.");
        add("non-canonical base64 in the header (unused bits set)", nonCanonical(h[0]) + "." + h[1] + "." + h[2]);
        String[] c = genuinelySigned(new String(Base64URL.from(claims).decode(), StandardCharsets.UTF_8)).split("\\.");
        add("non-canonical base64 in the claims (unused bits set)", c[0] + "." + nonCanonical(c[1]) + "." + c[2]);
        add("a leading space", " " + String.join(".", p));
        add("a trailing line break", String.join(".", p) + "\n");
        add("a space inside the claims", p[0] + "." + p[1].substring(0, 10) + " " + p[1].substring(10) + "." + p[2]);
        add("the Bearer prefix inside the token", "Bearer " + String.join(".", p));
        add("percent-encoded dots", p[0] + "%2E" + p[1] + "%2E" + p[2]);
        add("two segments", p[0] + "." + p[1]);
        add("four segments", String.join(".", p) + "." + p[2]);
        add("five segments (JWE shape) of JWS parts", String.join(".", p) + "." + p[1] + "." + p[2]);
        add("a trailing dot", String.join(".", p) + ".");
        add("a leading dot", "." + String.join(".", p));
        add("an empty claims segment", p[0] + ".." + p[2]);
        add("a fullwidth letter", p[0] + "." + p[1] + "." + p[2].substring(0, 5) + '\uFF21' + p[2].substring(6));
        add("header that is JSON but not an object", b64("\"" + t.algorithm().getName() + "\"") + "." + p[1] + "." + p[2]);
        add("header with a byte-order mark", b64("\uFEFF" + json(genuineHeader(t))) + "." + p[1] + "." + p[2]);
        add("header that is not UTF-8", Base64URL.encode(new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'})
                + "." + p[1] + "." + p[2]);
        add("claims that are not JSON, genuinely signed", signJson(json(genuineHeader(t)), "not json", signer(t.signingKey())));
        add("claims that are a JSON string, genuinely signed",
                signJson(json(genuineHeader(t)), "\"" + claimsJson().replace("\"", "\\\"") + "\"", signer(t.signingKey())));
        add("claims that are not UTF-8, genuinely signed", signBytes(json(genuineHeader(t)).getBytes(StandardCharsets.UTF_8),
                new byte[] {'{', '"', 's', 'u', 'b', '"', ':', '"', (byte) 0xFF, '"', '}'}, signer(t.signingKey())));
    }

    private void duplicateMembers() {
        String alg = t.algorithm().getName();
        String kid = t.kid();
        add("two alg members, none last", signJson("{\"alg\":\"" + alg + "\",\"typ\":\"at+jwt\",\"kid\":\"" + kid
                + "\",\"alg\":\"none\"}", claimsJson(), signer(t.signingKey())));
        add("two alg members, none first", signJson("{\"alg\":\"none\",\"typ\":\"at+jwt\",\"kid\":\"" + kid
                + "\",\"alg\":\"" + alg + "\"}", claimsJson(), signer(t.signingKey())));
        add("two kid members", signJson("{\"alg\":\"" + alg + "\",\"typ\":\"at+jwt\",\"kid\":\"no-such-key\",\"kid\":\""
                + kid + "\"}", claimsJson(), signer(t.signingKey())));
        add("two typ members", signJson("{\"alg\":\"" + alg + "\",\"typ\":\"JWT\",\"kid\":\"" + kid
                + "\",\"typ\":\"at+jwt\"}", claimsJson(), signer(t.signingKey())));
        long past = t.now().minus(Duration.ofDays(1)).getEpochSecond();
        long future = t.now().plus(Duration.ofMinutes(10)).getEpochSecond();
        add("two exp members, the past one last", genuinelySigned(withMember(withMember(withoutExp(), "exp", future), "exp", past)));
        add("two exp members, the past one first", genuinelySigned(withMember(withMember(withoutExp(), "exp", past), "exp", future)));
        add("two iss members, the genuine one last", genuinelySigned(withMember(claimsJson(), "iss", "https://evil.example")));
        add("two sub members", genuinelySigned(withMember(claimsJson(), "sub", "agt_someone_else")));
        add("two scope members", genuinelySigned(withMember(claimsJson(), "scope", "mayfly:admin everything:*")));
    }

    private void timeClaims() {
        long future = t.now().plus(Duration.ofMinutes(10)).getEpochSecond();
        add("exp a string", genuinelySigned(claims(c -> c.put("exp", Long.toString(future)))));
        add("exp a fraction", genuinelySigned(withMember(withoutExp(), "exp", future + 0.5)));
        add("exp in exponent notation", genuinelySigned(withMember(withoutExp(), "exp", "1e300")));
        add("exp a 20-digit integer", genuinelySigned(withMember(withoutExp(), "exp", "99999999999999999999")));
        add("exp the largest long", genuinelySigned(claims(c -> c.put("exp", Long.MAX_VALUE))));
        add("exp after year 9999", genuinelySigned(claims(c -> c.put("exp", 253402300800L))));
        add("exp negative", genuinelySigned(claims(c -> c.put("exp", -1))));
        add("exp the smallest long", genuinelySigned(claims(c -> c.put("exp", Long.MIN_VALUE))));
        add("exp zero", genuinelySigned(claims(c -> c.put("exp", 0))));
        add("exp true", genuinelySigned(claims(c -> c.put("exp", true))));
        add("exp null", genuinelySigned(claims(c -> c.put("exp", null))));
        add("exp an array", genuinelySigned(claims(c -> c.put("exp", List.of(future)))));
        add("exp an ISO date", genuinelySigned(claims(c -> c.put("exp", t.now().plus(Duration.ofMinutes(10)).toString()))));
        add("nbf an hour in the future", genuinelySigned(claims(c -> c.put("nbf", t.now().plus(Duration.ofHours(1)).getEpochSecond()))));
        add("nbf a string", genuinelySigned(claims(c -> c.put("nbf", Long.toString(t.now().getEpochSecond())))));
        add("nbf the largest long", genuinelySigned(claims(c -> c.put("nbf", Long.MAX_VALUE))));
        add("nbf negative", genuinelySigned(claims(c -> c.put("nbf", -1))));
        add("iat a year in the future", genuinelySigned(claims(c -> c.put("iat", t.now().plus(Duration.ofDays(365)).getEpochSecond()))));
        add("iat an hour in the future", genuinelySigned(claims(c -> c.put("iat", t.now().plus(Duration.ofHours(1)).getEpochSecond()))));
        add("iat a string", genuinelySigned(claims(c -> c.put("iat", Long.toString(t.now().getEpochSecond())))));
        add("iat negative", genuinelySigned(claims(c -> c.put("iat", -1))));
        add("iat the largest long", genuinelySigned(claims(c -> c.put("iat", Long.MAX_VALUE))));
    }

    private void typesIssuersAudiences() {
        add("typ JWT", signed(header(h -> h.put("typ", "JWT"))));
        add("typ missing", signed(header(h -> h.remove("typ"))));
        add("typ application/jwt", signed(header(h -> h.put("typ", "application/jwt"))));
        add("typ a number", signed(header(h -> h.put("typ", 1))));
        add("typ null", signed(header(h -> h.put("typ", null))));
        add("typ id_token+jwt", signed(header(h -> h.put("typ", "id+jwt"))));
        String iss = t.claims().getIssuer();
        add("iss of another issuer (genuine key)", genuinelySigned(claims(c -> c.put("iss", "https://evil.example"))));
        add("iss missing", genuinelySigned(claims(c -> c.remove("iss"))));
        add("iss with a trailing slash", genuinelySigned(claims(c -> c.put("iss", iss + "/"))));
        add("iss in upper case", genuinelySigned(claims(c -> c.put("iss", iss.toUpperCase()))));
        add("iss an array of the genuine one", genuinelySigned(claims(c -> c.put("iss", List.of(iss)))));
        add("iss a number", genuinelySigned(claims(c -> c.put("iss", 7))));
        add("iss empty", genuinelySigned(claims(c -> c.put("iss", ""))));
        out.add(new Attack("aud of another resource server (genuine key)",
                genuinelySigned(claims(c -> c.put("aud", "https://elsewhere.example"))), true));
        add("aud missing", genuinelySigned(claims(c -> c.remove("aud"))));
        add("aud an empty array", genuinelySigned(claims(c -> c.put("aud", List.of()))));
        add("aud a number", genuinelySigned(claims(c -> c.put("aud", 7))));
        add("aud an object", genuinelySigned(claims(c -> c.put("aud", Map.of("aud", iss)))));
        add("aud an array holding a number", genuinelySigned(claims(c -> c.put("aud", List.of(7)))));
    }

    private void missingAndMistypedClaims() {
        for (String claim : List.of("exp", "jti", "sub", "sid")) {
            add(claim + " missing", genuinelySigned(claims(c -> c.remove(claim))));
        }
        add("sub blank", genuinelySigned(claims(c -> c.put("sub", " "))));
        add("jti empty", genuinelySigned(claims(c -> c.put("jti", ""))));
        add("sid a number", genuinelySigned(claims(c -> c.put("sid", 17))));
        add("sub an object", genuinelySigned(claims(c -> c.put("sub", Map.of("id", "x")))));
        add("scope an array", genuinelySigned(claims(c -> c.put("scope", List.of("mayfly:admin")))));
        add("tier unknown", genuinelySigned(claims(c -> c.put("tier", "ultra"))));
        add("act a string", genuinelySigned(claims(c -> c.put("act", "someone"))));
        add("claims an empty object", genuinelySigned("{}"));
    }

    private void signatures() {
        String[] p = genuine(t).split("\\.");
        JWK forger = t.signingKey() instanceof RSAKey ? rsa(t.kid()) : ed25519(t.kid());
        add("forged: genuine header and claims, signed by another key under the genuine kid",
                signJson(json(genuineHeader(t)), claimsJson(), signer(forger)));
        add("signature stripped", p[0] + "." + p[1] + ".");
        add("signature truncated", p[0] + "." + p[1] + "." + p[2].substring(0, p[2].length() / 2));
        add("signature of zero bytes of the right length",
                p[0] + "." + p[1] + "." + Base64URL.encode(new byte[Base64URL.from(p[2]).decode().length]));
        add("signature with one bit flipped", p[0] + "." + p[1] + "." + flipBit(p[2]));
        add("claims changed under the genuine signature",
                p[0] + "." + b64(json(claims(c -> c.put("scope", "mayfly:admin")))) + "." + p[2]);
        String other = signJson(json(genuineHeader(t)), json(claims(c -> c.put("jti", "jti-other"))), signer(t.signingKey()));
        add("signature spliced from another genuine token", p[0] + "." + p[1] + "." + other.split("\\.")[2]);
        add("header swapped for another with the same kid",
                b64(json(header(h -> h.put("extra", "x")))) + "." + p[1] + "." + p[2]);
    }

    // ---- building blocks ----------------------------------------------------------------------------

    private void add(String name, String token) {
        out.add(new Attack(name, token, false));
    }

    private Map<String, Object> header(Consumer<Map<String, Object>> edit) {
        Map<String, Object> h = genuineHeader(t);
        edit.accept(h);
        return h;
    }

    private Map<String, Object> claims(Consumer<Map<String, Object>> edit) {
        Map<String, Object> c = new LinkedHashMap<>(t.claims().toJSONObject());
        edit.accept(c);
        return c;
    }

    private String claimsJson() {
        return json(t.claims().toJSONObject());
    }

    private String withoutExp() {
        return json(claims(c -> c.remove("exp")));
    }

    /** The JSON object with one more member appended verbatim (so names may repeat). */
    private static String withMember(String objectJson, String name, Object rawValue) {
        String value = rawValue instanceof String s && !s.matches("-?[0-9.eE+]+") ? "\"" + s + "\"" : String.valueOf(rawValue);
        String body = objectJson.substring(0, objectJson.length() - 1);
        return body + (body.length() > 1 ? "," : "") + "\"" + name + "\":" + value + "}";
    }

    /** Signed with the genuine key under the genuine header. */
    private String signed(Map<String, Object> header) {
        return signJson(json(header), claimsJson(), signer(t.signingKey()));
    }

    private String genuinelySigned(Map<String, Object> claims) {
        return genuinelySigned(json(claims));
    }

    private String genuinelySigned(String claimsJson) {
        return signJson(json(genuineHeader(t)), claimsJson, signer(t.signingKey()));
    }

    /** {@code b64(header).b64(payload).sig} whatever the header says: the signature is the signer's own. */
    static String signJson(String headerJson, String payload, JWSSigner signer) {
        return signBytes(headerJson.getBytes(StandardCharsets.UTF_8), payload.getBytes(StandardCharsets.UTF_8), signer);
    }

    private static String signBytes(byte[] header, byte[] payload, JWSSigner signer) {
        String input = Base64URL.encode(header) + "." + Base64URL.encode(payload);
        JWSAlgorithm alg = signer.supportedJWSAlgorithms().contains(JWSAlgorithm.EdDSA) ? JWSAlgorithm.EdDSA
                : signer.supportedJWSAlgorithms().contains(JWSAlgorithm.RS256) ? JWSAlgorithm.RS256
                : signer.supportedJWSAlgorithms().contains(JWSAlgorithm.ES256) ? JWSAlgorithm.ES256
                : signer.supportedJWSAlgorithms().iterator().next();
        if (signer instanceof MACSigner mac) {
            alg = macAlgorithm(header, mac);
        }
        if (signer instanceof RSASSASigner && new String(header, StandardCharsets.UTF_8).contains("\"PS256\"")) {
            alg = JWSAlgorithm.PS256;
        }
        try {
            return input + "." + signer.sign(new JWSHeader(alg), input.getBytes(StandardCharsets.US_ASCII));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JWSAlgorithm macAlgorithm(byte[] header, MACSigner mac) {
        String h = new String(header, StandardCharsets.UTF_8);
        for (JWSAlgorithm a : List.of(JWSAlgorithm.HS512, JWSAlgorithm.HS384, JWSAlgorithm.HS256)) {
            if (h.contains("\"" + a.getName() + "\"") && mac.supportedJWSAlgorithms().contains(a)) {
                return a;
            }
        }
        return JWSAlgorithm.HS256;
    }

    public static JWSSigner signer(JWK key) {
        try {
            if (key instanceof OctetKeyPair okp) {
                return new Ed25519Signer(okp);
            }
            if (key instanceof RSAKey rsa) {
                return new RSASSASigner(rsa);
            }
            throw new IllegalArgumentException("no signer for " + key.getKeyType());
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int minSecretBits(JWSAlgorithm hs) {
        try {
            return MACSigner.getMinRequiredSecretLength(hs);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JWSSigner mac(byte[] secret) {
        try {
            return new MACSigner(secret);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JWSSigner ecSigner(ECKey key) {
        try {
            return new ECDSASigner(key);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What an attacker can read from the issuer's JWKS, as HMAC secrets. */
    private Map<String, byte[]> publicKeyMaterial() {
        JWK pub = t.signingKey().toPublicJWK();
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put("public JWK JSON", pub.toJSONString().getBytes(StandardCharsets.UTF_8));
        m.put("JWKS JSON", new JWKSet(pub).toString().getBytes(StandardCharsets.UTF_8));
        try {
            if (pub instanceof RSAKey rsa) {
                byte[] der = rsa.toRSAPublicKey().getEncoded();
                m.put("public key DER", der);
                m.put("public key PEM", ("-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(der) + "\n-----END PUBLIC KEY-----\n").getBytes(StandardCharsets.US_ASCII));
                m.put("modulus n (base64url text)", rsa.getModulus().toString().getBytes(StandardCharsets.US_ASCII));
            } else if (pub instanceof OctetKeyPair okp) {
                m.put("public key bytes x", okp.getX().decode());
                m.put("public key x (base64url text)", okp.getX().toString().getBytes(StandardCharsets.US_ASCII));
            }
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return m;
    }

    private String jwe() {
        byte[] cek = new byte[32];
        RANDOM.nextBytes(cek);
        try {
            JWEObject jwe = new JWEObject(new JWEHeader.Builder(JWEAlgorithm.DIR, EncryptionMethod.A256GCM)
                    .keyID(t.kid()).build(), new Payload(claimsJson()));
            jwe.encrypt(new DirectEncrypter(cek));
            return jwe.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static OctetKeyPair ed25519(String kid) {
        try {
            return new OctetKeyPairGenerator(Curve.Ed25519).keyID(kid).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static RSAKey rsa(String kid) {
        try {
            return new RSAKeyGenerator(2048).keyID(kid).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ECKey ec() {
        try {
            return new ECKeyGenerator(Curve.P_256).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    static String json(Map<String, Object> m) {
        return JSONObjectUtils.toJSONString(m);
    }

    static String b64(String s) {
        return Base64URL.encode(s.getBytes(StandardCharsets.UTF_8)).toString();
    }

    private static String pad(String part) {
        return part + "=".repeat((4 - part.length() % 4) % 4 == 0 ? 2 : (4 - part.length() % 4) % 4);
    }

    /**
     * The same bytes with the unused low bits of the last character set (RFC 4648 §3.5): lenient decoders
     * read it as the original, so it is a second spelling of one token. {@code null} when the part has no
     * spare bits.
     */
    static String nonCanonical(String part) {
        int unusedBits = switch (part.length() % 4) {
            case 2 -> 4;
            case 3 -> 2;
            default -> 0;
        };
        if (unusedBits == 0) {
            return null; // a whole number of 3-byte groups has no spare bits to set
        }
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        char last = part.charAt(part.length() - 1);
        int v = alphabet.indexOf(last) | 1;
        return part.substring(0, part.length() - 1) + alphabet.charAt(v);
    }

    private static String flipBit(String part) {
        byte[] b = Base64URL.from(part).decode();
        b[b.length / 2] ^= 0x01;
        return Base64URL.encode(b).toString();
    }

    private static String swapCase(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            b.append(Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c));
        }
        return b.toString();
    }

    private static String randomBase64(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getEncoder().encodeToString(b);
    }
}
