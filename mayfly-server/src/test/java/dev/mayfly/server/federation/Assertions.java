package dev.mayfly.server.federation;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.Ed25519Signer;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.mayfly.server.testing.BrokerClient;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** What the federation tests repeat: logging in by assertion, registering agents with trust, signing as an agent. */
public final class Assertions {
    public static final String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    private Assertions() {
    }

    /** {@code client_credentials} authenticated by {@code assertion}; {@code clientId} may be null. */
    static BrokerClient.Response login(BrokerClient client, String clientId, String assertion) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "client_credentials");
        if (clientId != null) {
            form.put("client_id", clientId);
        }
        form.put("client_assertion_type", JWT_BEARER);
        form.put("client_assertion", assertion);
        return client.postForm("/oauth/token", form, null, null);
    }

    /** Registers an agent with this extra body ({@code federated}, {@code public_key}...); the envelope's data. */
    static JsonNode createAgent(BrokerClient client, String admin, String name, Map<String, Object> extra) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("scopes", List.of("repo:read", "repo:write"));
        body.putAll(extra);
        BrokerClient.Response r = client.postJson("/v1/agents", admin, body);
        if (r.status() != 201) {
            throw new IllegalStateException("agent creation failed: " + r.raw());
        }
        return r.body().get("data");
    }

    static Map<String, Object> federated(String issuer, Map<String, String> claims) {
        return Map.of("federated", Map.of("issuer", issuer, "claims", claims));
    }

    /** A {@code private_key_jwt} assertion (RFC 7523 §3) signed by an agent's own key. */
    public static String privateKeyJwt(JWK key, String clientId, String audience, Instant now, Duration life) {
        return signAs(key, new JWTClaimsSet.Builder().issuer(clientId).subject(clientId).audience(audience)
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plus(life)))
                .jwtID(UUID.randomUUID().toString()).build());
    }

    static String signAs(JWK key, JWTClaimsSet claims) {
        try {
            JWSSigner signer;
            JWSAlgorithm alg;
            if (key instanceof OctetKeyPair) {
                signer = new Ed25519Signer((OctetKeyPair) key);
                alg = JWSAlgorithm.EdDSA;
            } else {
                signer = new ECDSASigner((ECKey) key);
                alg = JWSAlgorithm.ES256;
            }
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(key.getKeyID()).build(), claims);
            jwt.sign(signer);
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
