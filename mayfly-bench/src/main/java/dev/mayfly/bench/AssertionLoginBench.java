package dev.mayfly.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.Ed25519Signer;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.mayfly.core.json.Json;
import dev.mayfly.server.Broker;
import dev.mayfly.server.BrokerConfig;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Logins ({@code client_credentials}) by client secret against logins by JWT assertion (RFC 7523): key-bound
 * Ed25519 and ES256, and federated RS256 from a loopback OIDC issuer (discovery + JWKS on the JDK's HTTP server),
 * against one in-process broker on SQLite. Assertions are signed before the clock starts, so the numbers are the
 * broker's cost: parse, key lookup, signature, claim checks and the used-jti insert, on top of the session commit.
 *
 * <pre>
 * java -cp ... dev.mayfly.bench.AssertionLoginBench [logins per mode, default 3000] [threads, default 4]
 * </pre>
 */
public final class AssertionLoginBench {
    private AssertionLoginBench() {
    }

    public static void main(String[] args) throws Exception {
        System.out.print(report(args.length > 0 ? Integer.parseInt(args[0]) : 3000,
                args.length > 1 ? Integer.parseInt(args[1]) : 4));
    }

    /** The results as a Markdown table, one row per login kind. */
    static String report(int logins, int threads) throws Exception {
        StringBuilder out = new StringBuilder();
        int warmup = Math.max(200, logins / 5);
        RSAKey issuerKey = new RSAKeyGenerator(2048).keyID("bench-issuer").generate();
        HttpServer issuer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        String issuerUrl = "http://127.0.0.1:" + issuer.getAddress().getPort();
        byte[] discovery = Json.writeBytes(Map.of("issuer", issuerUrl, "jwks_uri", issuerUrl + "/keys"));
        byte[] jwks = new JWKSet(issuerKey.toPublicJWK()).toString(true).getBytes(StandardCharsets.UTF_8);
        issuer.createContext("/.well-known/openid-configuration", ex -> {
            ex.sendResponseHeaders(200, discovery.length);
            ex.getResponseBody().write(discovery);
            ex.close();
        });
        issuer.createContext("/keys", ex -> {
            ex.sendResponseHeaders(200, jwks.length);
            ex.getResponseBody().write(jwks);
            ex.close();
        });
        issuer.start();
        Path home = Files.createTempDirectory("mayfly-bench-assertion");
        try (Broker broker = Broker.start(BrokerConfig.builder().listen("127.0.0.1:0").home(home).env(Map.of()).build())) {
            String url = broker.issuer();
            HttpClient http = HttpClient.newHttpClient();
            JsonNode admin = Json.mapper().readTree(home.resolve("admin.json").toFile());
            String adminToken = post(http, url + "/oauth/token", "grant_type=client_credentials&client_id="
                    + admin.get("client_id").asText() + "&client_secret=" + admin.get("client_secret").asText())
                    .get("access_token").asText();
            OctetKeyPair ed = new OctetKeyPairGenerator(Curve.Ed25519).keyID("ed").generate();
            ECKey ec = new ECKeyGenerator(Curve.P_256).keyID("ec").generate();
            JsonNode secretAgent = agent(http, url, adminToken, Map.of("name", "bench-secret"));
            String edId = agent(http, url, adminToken, Map.of("name", "bench-ed", "public_key", ed.toPublicJWK().toJSONObject()))
                    .get("client_id").asText();
            String ecId = agent(http, url, adminToken, Map.of("name", "bench-ec", "public_key", ec.toPublicJWK().toJSONObject()))
                    .get("client_id").asText();
            String fedId = agent(http, url, adminToken, Map.of("name", "bench-fed", "federated",
                    Map.of("issuer", issuerUrl, "claims", Map.of("sub", "system:serviceaccount:bench:agent"))))
                    .get("client_id").asText();

            String secretBody = "grant_type=client_credentials&client_id=" + secretAgent.get("client_id").asText()
                    + "&client_secret=" + secretAgent.get("client_secret").asText();
            out.append(String.format("logins per mode: %d (after %d warm-up), %d threads, SQLite, one JVM, %d cores%n",
                    logins, warmup, threads, Runtime.getRuntime().availableProcessors()));
            out.append("| login | logins/s | p50 ms | p99 ms |\n|---|---|---|---|\n");
            run(out, "client secret (client_secret_post)", http, url, threads, warmup, logins, i -> secretBody);
            run(out, "private_key_jwt EdDSA (Ed25519)", http, url, threads, warmup, logins,
                    bodies(edId, false, new Ed25519Signer(ed), JWSAlgorithm.EdDSA, "ed", url, warmup + logins));
            run(out, "private_key_jwt ES256 (P-256)", http, url, threads, warmup, logins,
                    bodies(ecId, false, new ECDSASigner(ec), JWSAlgorithm.ES256, "ec", url, warmup + logins));
            run(out, "federated RS256 (OIDC issuer, cached JWKS)", http, url, threads, warmup, logins,
                    bodies(fedId, true, new RSASSASigner(issuerKey), JWSAlgorithm.RS256, "bench-issuer", url,
                            warmup + logins, issuerUrl));
        } finally {
            issuer.stop(0);
        }
        return out.toString();
    }

    interface Bodies {
        String body(int i);
    }

    static Bodies bodies(String clientId, boolean federated, JWSSigner signer, JWSAlgorithm alg, String kid, String aud,
                         int n) throws Exception {
        return bodies(clientId, federated, signer, alg, kid, aud, n, null);
    }

    /** {@code n} form bodies, each with its own signed assertion (a fresh jti), made before timing. */
    static Bodies bodies(String clientId, boolean federated, JWSSigner signer, JWSAlgorithm alg, String kid, String aud,
                         int n, String issuerUrl) throws Exception {
        String[] out = new String[n];
        Instant now = Instant.now();
        for (int i = 0; i < n; i++) {
            JWTClaimsSet claims = new JWTClaimsSet.Builder()
                    .issuer(federated ? issuerUrl : clientId)
                    .subject(federated ? "system:serviceaccount:bench:agent" : clientId)
                    .audience(aud).issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(540)))
                    .jwtID(UUID.randomUUID().toString()).build();
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(kid).build(), claims);
            jwt.sign(signer);
            out[i] = "grant_type=client_credentials&client_id=" + clientId
                    + "&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer"
                    + "&client_assertion=" + jwt.serialize();
        }
        return i -> out[i];
    }

    static void run(StringBuilder out, String name, HttpClient http, String url, int threads, int warmup, int logins, Bodies bodies)
            throws Exception {
        phase(http, url, threads, 0, warmup, bodies);
        long start = System.nanoTime();
        long[] latencies = phase(http, url, threads, warmup, logins, bodies);
        double seconds = (System.nanoTime() - start) / 1e9;
        Arrays.sort(latencies);
        out.append(String.format("| %s | %.0f | %.1f | %.1f |%n", name, logins / seconds,
                latencies[latencies.length / 2] / 1e6, latencies[(int) (latencies.length * 0.99)] / 1e6));
    }

    /** Logins {@code from .. from+count} of {@code bodies} on {@code threads} threads; each one's latency. */
    static long[] phase(HttpClient http, String url, int threads, int from, int count, Bodies bodies) throws Exception {
        long[] latencies = new long[count];
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                        long s = System.nanoTime();
                        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "/oauth/token"))
                                .header("Content-Type", "application/x-www-form-urlencoded")
                                .POST(HttpRequest.BodyPublishers.ofString(bodies.body(from + i))).build(),
                                HttpResponse.BodyHandlers.ofString());
                        latencies[i] = System.nanoTime() - s;
                        if (r.statusCode() != 200) {
                            throw new IllegalStateException("login failed: HTTP " + r.statusCode());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        return latencies;
    }

    static JsonNode agent(HttpClient http, String url, String adminToken, Map<String, Object> extra) throws Exception {
        Map<String, Object> body = new LinkedHashMap<>(extra);
        body.put("scopes", List.of("orders:read"));
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "/v1/agents"))
                .header("Authorization", "Bearer " + adminToken).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(body))).build(), HttpResponse.BodyHandlers.ofString());
        return Json.mapper().readTree(r.body()).get("data");
    }

    static JsonNode post(HttpClient http, String url, String form) throws Exception {
        return Json.mapper().readTree(http.send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString()).body());
    }

}
