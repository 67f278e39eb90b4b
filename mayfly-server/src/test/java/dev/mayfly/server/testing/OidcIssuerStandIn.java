package dev.mayfly.server.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.mayfly.core.json.Json;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * An external OIDC issuer on a real loopback Jetty, standing in for a Kubernetes API server or GitHub Actions'
 * token service: OpenID Connect Discovery at {@code /.well-known/openid-configuration}, its JWK Set at
 * {@code /keys}, RS256 signing keys it can rotate, and tokens shaped like a projected service-account token or
 * an Actions OIDC token. It counts JWKS fetches so tests can see caching and rate-limited re-fetching.
 */
public final class OidcIssuerStandIn implements AutoCloseable {
    private final Server server;
    private final String url;
    private final AtomicInteger jwksFetches = new AtomicInteger();
    private final List<RSAKey> published = new ArrayList<>();
    private volatile RSAKey current;
    /** GitHub Actions' token request service, when {@link #serveActionsTokens} set it up. */
    private volatile ActionsRun actionsRun;

    /** The run whose tokens {@code /_actions/token} hands out, and the bearer token a job must show for them. */
    private record ActionsRun(String repository, String ref, String requestToken, java.util.function.Supplier<Instant> now) {
    }

    public OidcIssuerStandIn() {
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                String path = Request.getPathInContext(request);
                String body;
                if (path.equals("/.well-known/openid-configuration")) {
                    Map<String, Object> d = new LinkedHashMap<>();
                    d.put("issuer", url());
                    d.put("jwks_uri", url() + "/keys");
                    d.put("id_token_signing_alg_values_supported", List.of("RS256"));
                    body = Json.write(d);
                } else if (path.equals("/keys")) {
                    jwksFetches.incrementAndGet();
                    synchronized (published) {
                        body = new JWKSet(new ArrayList<>(published)).toString(true);
                    }
                } else if (path.equals("/_actions/token") && actionsRun != null) {
                    // GitHub's ACTIONS_ID_TOKEN_REQUEST_URL: bearer the request token, audience as a query parameter.
                    ActionsRun run = actionsRun;
                    String audience = Request.extractQueryParameters(request).getValue("audience");
                    if (!("Bearer " + run.requestToken()).equals(request.getHeaders().get(HttpHeader.AUTHORIZATION))
                            || audience == null) {
                        response.setStatus(403);
                        callback.succeeded();
                        return true;
                    }
                    body = Json.write(Map.of("count", 1, "value",
                            actionsToken(run.repository(), run.ref(), audience, run.now().get(), Duration.ofMinutes(5))));
                } else {
                    response.setStatus(404);
                    callback.succeeded();
                    return true;
                }
                response.setStatus(200);
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
                response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
                return true;
            }
        });
        try {
            server.start();
        } catch (Exception e) {
            throw new IllegalStateException("stand-in issuer did not start", e);
        }
        url = "http://127.0.0.1:" + connector.getLocalPort();
        rotate(false);
    }

    /** The issuer URL ({@code iss} of its tokens). */
    public String url() {
        return url;
    }

    public int jwksFetches() {
        return jwksFetches.get();
    }

    /** A new signing key; the old one stays published when {@code keepOld}, else it is withdrawn. */
    public synchronized void rotate(boolean keepOld) {
        RSAKey next = newKey();
        synchronized (published) {
            if (!keepOld) {
                published.clear();
            }
            published.add(next.toPublicJWK());
        }
        current = next;
    }

    /** A key the issuer does not publish, for forged tokens. */
    public static RSAKey newKey() {
        try {
            return new RSAKeyGenerator(2048).keyID("k-" + UUID.randomUUID()).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Serves GitHub Actions' OIDC token request endpoint for a run of {@code repository} at {@code ref}; returns
     * what a job sees as {@code ACTIONS_ID_TOKEN_REQUEST_URL}. Jobs must show {@code requestToken}.
     */
    public String serveActionsTokens(String repository, String ref, String requestToken,
                                     java.util.function.Supplier<Instant> now) {
        actionsRun = new ActionsRun(repository, ref, requestToken, now);
        return url + "/_actions/token?api-version=2.0";
    }

    /** A Kubernetes projected service-account token (the shape of a 1.29+ API server's). */
    public String kubernetesToken(String namespace, String serviceAccount, String audience, Instant now, Duration life) {
        Map<String, Object> k8s = new LinkedHashMap<>();
        k8s.put("namespace", namespace);
        k8s.put("node", Map.of("name", "node-1", "uid", UUID.randomUUID().toString()));
        k8s.put("pod", Map.of("name", "agent-7d9f", "uid", UUID.randomUUID().toString()));
        k8s.put("serviceaccount", Map.of("name", serviceAccount, "uid", UUID.randomUUID().toString()));
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("sub", "system:serviceaccount:" + namespace + ":" + serviceAccount);
        claims.put("kubernetes.io", k8s);
        return token(claims, audience, now, life);
    }

    /** A GitHub Actions OIDC token for a workflow run of {@code repository} at {@code ref}. */
    public String actionsToken(String repository, String ref, String audience, Instant now, Duration life) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("sub", "repo:" + repository + ":ref:" + ref);
        claims.put("repository", repository);
        claims.put("repository_owner", repository.substring(0, repository.indexOf('/')));
        claims.put("ref", ref);
        claims.put("ref_type", "branch");
        claims.put("event_name", ref.startsWith("refs/pull/") ? "pull_request" : "push");
        claims.put("workflow", "agent");
        claims.put("run_id", "6543210");
        claims.put("runner_environment", "github-hosted");
        return token(claims, audience, now, life);
    }

    /** A token with these claims plus iss, aud, iat, nbf, exp and a fresh jti, signed with the current key. */
    public String token(Map<String, Object> claims, String audience, Instant now, Duration life) {
        return sign(current, claims(claims, audience, now, life));
    }

    public JWTClaimsSet claims(Map<String, Object> claims, String audience, Instant now, Duration life) {
        JWTClaimsSet.Builder b = new JWTClaimsSet.Builder()
                .issuer(url)
                .audience(audience)
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plus(life)))
                .jwtID(UUID.randomUUID().toString());
        claims.forEach(b::claim);
        return b.build();
    }

    /** {@code claims} signed RS256 with {@code key}, its kid in the header. */
    public static String sign(RSAKey key, JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID())
                    .type(JOSEObjectType.JWT).build(), claims);
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public RSAKey currentKey() {
        return current;
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
