package dev.mayfly.cli.exec;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.mayfly.core.envelope.Envelope;
import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.ErrorMapper;
import dev.mayfly.core.error.MayflyError;
import dev.mayfly.core.json.Json;
import dev.mayfly.core.secret.RandomIds;
import dev.mayfly.core.secret.Secret;
import dev.mayfly.client.AccessToken;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The loopback credential endpoint of one {@code mayfly exec}: {@code GET http://127.0.0.1:PORT/token}
 * with {@code Authorization: Bearer <per-run secret>} answers the current task token as JSON
 * ({@code access_token, expires_at, expires_in, task_id, scope, audience, jti}); {@code ?renew=1} forces a
 * new one. A wrong or missing secret gets 401 with nothing else. The secret exists only in this process
 * and the child's environment; the endpoint lives exactly as long as the child.
 *
 * <p>Why an endpoint rather than a token file: the token is minted when asked for, so the child never
 * reads one that is about to lapse and there is no refresh timer racing the reader; and the token is never
 * written to disk, where it could outlive the run.
 */
final class CredentialEndpoint implements AutoCloseable {
    static final String PATH = "/token";

    private final HttpServer server;
    private final ExecutorService executor;
    private final Secret runSecret;
    private final Clock clock;

    private CredentialEndpoint(HttpServer server, ExecutorService executor, Secret runSecret, Clock clock) {
        this.server = server;
        this.executor = executor;
        this.runSecret = runSecret;
        this.clock = clock;
    }

    static CredentialEndpoint start(ChildTokens supply, Clock clock) throws IOException {
        // RandomIds gives ~190 bits here; the 'run_' prefix keeps it from looking like an mfy_ secret.
        Secret secret = Secret.of(RandomIds.next("run_", 32));
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "mayfly-exec-endpoint");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        CredentialEndpoint endpoint = new CredentialEndpoint(server, executor, secret, clock);
        server.createContext(PATH, ex -> endpoint.handle(ex, supply));
        server.start();
        return endpoint;
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + PATH;
    }

    Secret runSecret() {
        return runSecret;
    }

    private void handle(HttpExchange ex, ChildTokens supply) throws IOException {
        try (ex) {
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            Secret presented = auth != null && auth.startsWith("Bearer ") ? Secret.of(auth.substring(7).trim()) : null;
            if (presented == null || !runSecret.matches(presented)) {
                send(ex, 401, MayflyError.builder(ErrorCode.CREDENTIALS_INVALID,
                        "This endpoint serves only the child of its mayfly exec.").reauthCommand(null).build());
                return;
            }
            if (!"GET".equals(ex.getRequestMethod()) || !PATH.equals(ex.getRequestURI().getPath())) {
                send(ex, 404, MayflyError.of(ErrorCode.NOT_FOUND, "Only GET " + PATH + " is served."));
                return;
            }
            boolean renew = "renew=1".equals(ex.getRequestURI().getQuery());
            try {
                AccessToken t = supply.current(renew);
                byte[] body = Json.writeBytes(describe(t, supply.taskId()));
                ex.getResponseHeaders().add("Content-Type", "application/json");
                ex.getResponseHeaders().add("Cache-Control", "no-store");
                ex.sendResponseHeaders(200, body.length);
                try (OutputStream os = ex.getResponseBody()) {
                    os.write(body);
                }
            } catch (RuntimeException e) {
                MayflyError error = ErrorMapper.toError(e);
                send(ex, error.code().httpStatus(), error);
            }
        }
    }

    /** The JSON served for a token (the token itself is the point of the endpoint). */
    private Map<String, Object> describe(AccessToken t, String taskId) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("access_token", t.value().reveal());
        m.put("token_type", t.tokenType());
        m.put("expires_at", t.expiresAt() == null ? null : t.expiresAt().toString());
        m.put("expires_in", t.expiresAt() == null ? null
                : Math.max(0, Duration.between(clock.instant(), t.expiresAt()).getSeconds()));
        m.put("task_id", t.taskId().orElse(taskId));
        m.put("scope", String.join(" ", t.scopes()));
        m.put("audience", t.audiences());
        m.put("jti", t.claims().map(c -> c.jti()).orElse(null));
        return m;
    }

    private static void send(HttpExchange ex, int status, MayflyError error) throws IOException {
        byte[] body = Json.writeBytes(Envelope.failure(error, new Envelope.Meta(0, null)));
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, body.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
