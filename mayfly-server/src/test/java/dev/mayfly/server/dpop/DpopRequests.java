package dev.mayfly.server.dpop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.oauth2.sdk.dpop.DefaultDPoPProofFactory;
import com.nimbusds.oauth2.sdk.id.JWTID;
import com.nimbusds.oauth2.sdk.token.DPoPAccessToken;
import com.nimbusds.openid.connect.sdk.Nonce;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Test-side DPoP client over real HTTP. Valid proofs come from Nimbus oauth2-oidc-sdk's
 * {@link DefaultDPoPProofFactory}, an implementation independent of Mayfly's; deliberately broken ones (which no
 * correct library would sign) are assembled by hand, field by field.
 */
final class DpopRequests {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final String base;

    DpopRequests(String base) {
        this.base = base;
    }

    record Reply(int status, HttpResponse<String> raw, JsonNode body) {
        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }

    static ECKey ecKey() throws JOSEException {
        return new ECKeyGenerator(Curve.P_256).generate();
    }

    static OctetKeyPair edKey() throws JOSEException {
        return new OctetKeyPairGenerator(Curve.Ed25519).generate();
    }

    static String thumbprint(JWK key) throws JOSEException {
        return key.toPublicJWK().computeThumbprint().toString();
    }

    /** A proof signed by Nimbus's own DPoP factory, with the given iat (the broker runs on a test clock). */
    static String nimbusProof(JWK key, String method, String uri, Instant iat, String accessToken, String nonce)
            throws JOSEException {
        JWSAlgorithm alg = key instanceof ECKey ? JWSAlgorithm.ES256 : JWSAlgorithm.EdDSA;
        DefaultDPoPProofFactory factory = new DefaultDPoPProofFactory(key, alg);
        return factory.createDPoPJWT(new JWTID(), method, URI.create(uri), Date.from(iat),
                accessToken == null ? null : new DPoPAccessToken(accessToken),
                nonce == null ? null : new Nonce(nonce)).serialize();
    }

    /** A JWS with exactly this header and payload, signed by {@code signer}: for proofs no library would make. */
    static String handmade(Map<String, Object> header, Map<String, Object> claims, JWSSigner signer) throws Exception {
        String input = b64(JSON.writeValueAsBytes(header)) + "." + b64(JSON.writeValueAsBytes(claims));
        com.nimbusds.jose.JWSHeader parsed = com.nimbusds.jose.JWSHeader.parse(new Base64URL(b64(JSON.writeValueAsBytes(
                Map.of("alg", header.get("alg"))))));
        Base64URL sig = signer.sign(parsed, input.getBytes(StandardCharsets.US_ASCII));
        return input + "." + sig;
    }

    static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String ath(String token) throws Exception {
        return b64(java.security.MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII)));
    }

    String tokenUri() {
        return base + "/oauth/token";
    }

    Reply token(Map<String, String> form, String basicId, String basicSecret, String... dpop) throws Exception {
        String body = form.entrySet().stream()
                .map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                .collect(Collectors.joining("&"));
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(tokenUri()))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (basicId != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (enc(basicId) + ":" + enc(basicSecret)).getBytes(StandardCharsets.UTF_8)));
        }
        for (String proof : dpop) {
            b.header("DPoP", proof);
        }
        return send(b);
    }

    Reply login(String clientId, String secret, String scope, String... dpop) throws Exception {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "client_credentials");
        if (scope != null) {
            form.put("scope", scope);
        }
        return token(form, clientId, secret, dpop);
    }

    Reply refresh(String refreshToken, String... dpop) throws Exception {
        return token(Map.of("grant_type", "refresh_token", "refresh_token", refreshToken), null, null, dpop);
    }

    Reply exchange(String subjectToken, String... dpop) throws Exception {
        return token(Map.of("grant_type", "urn:ietf:params:oauth:grant-type:token-exchange",
                "subject_token", subjectToken,
                "subject_token_type", "urn:ietf:params:oauth:token-type:access_token"), null, null, dpop);
    }

    /** GET {@code path} with {@code Authorization: <scheme> <token>} and the given DPoP headers. */
    Reply get(String path, String scheme, String token, String... dpop) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).GET()
                .header("Authorization", scheme + " " + token);
        for (String proof : dpop) {
            b.header("DPoP", proof);
        }
        return send(b);
    }

    Reply postJson(String path, String bearer, Object body) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + bearer)
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))));
    }

    private static Reply send(HttpRequest.Builder b) throws Exception {
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode body = r.body().isEmpty() ? null : JSON.readTree(r.body());
        return new Reply(r.statusCode(), r, body);
    }

    static JsonNode claimsOf(String jwt) throws Exception {
        return JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
