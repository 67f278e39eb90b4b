package dev.mayfly.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.core.json.Json;
import dev.mayfly.server.Broker;
import dev.mayfly.server.BrokerConfig;
import dev.mayfly.verifier.JwksSource;
import dev.mayfly.verifier.TokenVerifier;
import dev.mayfly.verifier.jetty.MayflyAuthHandler;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * A broker on its defaults (SQLite with durable writes, audit on) in a temporary home, an agent to load it
 * with, and a resource server protected by the verifier's Jetty handler: everything a load run needs.
 */
public final class BenchBroker implements AutoCloseable {
    static final String AUDIENCE = "https://api.bench";

    private final Broker broker;
    private final Server resource;
    private final Scenario.Target target;
    private final String adminToken;

    private BenchBroker(Broker broker, Server resource, Scenario.Target target, String adminToken) {
        this.broker = broker;
        this.adminToken = adminToken;
        this.resource = resource;
        this.target = target;
    }

    public static BenchBroker start() throws Exception {
        return start(true);
    }

    /** @param audit false to measure what the audit trail costs (a benchmark-only switch) */
    public static BenchBroker start(boolean audit) throws Exception {
        Path home = Files.createTempDirectory("mayfly-bench");
        Broker broker = Broker.start(BrokerConfig.builder().listen("127.0.0.1:0").home(home).env(Map.of())
                .feedHeartbeat(java.time.Duration.ofSeconds(1)).auditEnabled(audit).build());
        Provisioned p = provision(broker.issuer(), home);
        return new BenchBroker(broker, p.resource(), p.target(), p.adminToken());
    }

    /** What a load run needs from a running broker: a bench agent, a resource server, an admin token. */
    record Provisioned(Scenario.Target target, Server resource, String adminToken) {
    }

    /**
     * Registers the bench agent with the bootstrap admin of {@code home} (its {@code admin.json}) and starts a
     * resource server behind the verifier's Jetty handler, trusting {@code issuer}. Works against a broker in
     * this JVM or in another process.
     */
    static Provisioned provision(String issuer, Path home) throws Exception {
        JsonNode admin = Json.mapper().readTree(home.resolve("admin.json").toFile());
        HttpClient http = HttpClient.newHttpClient();
        String adminToken = Scenario.parse(http.send(Scenario.form(issuer + "/oauth/token",
                Map.of("grant_type", "client_credentials"), Scenario.Target.basicAuth(
                        admin.get("client_id").asText(), admin.get("client_secret").asText())).toJdk(),
                HttpResponse.BodyHandlers.ofString()).body()).get("access_token").asText();
        String body = Json.write(Map.of("name", "bench-agent-" + System.nanoTime(), "kind", "llm",
                "scopes", List.of("orders:read", "orders:write"), "audiences", List.of(AUDIENCE)));
        JsonNode agent = Scenario.parse(http.send(HttpRequest.newBuilder(URI.create(issuer + "/v1/agents"))
                .header("Authorization", "Bearer " + adminToken).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()).body())
                .get("data");

        TokenVerifier verifier = TokenVerifier.builder().issuer(issuer).audience(AUDIENCE)
                .jwks(JwksSource.remote(URI.create(issuer + "/jwks.json"))).build();
        Server resource = new Server();
        HttpConfiguration config = new HttpConfiguration();
        config.setHeaderCacheCaseSensitive(true);
        ServerConnector connector = new ServerConnector(resource, new HttpConnectionFactory(config));
        connector.setHost("127.0.0.1");
        resource.addConnector(connector);
        Handler ok = new Handler.Abstract() {
            @Override
            public boolean handle(org.eclipse.jetty.server.Request request, org.eclipse.jetty.server.Response response,
                                  org.eclipse.jetty.util.Callback callback) {
                response.setStatus(200);
                response.write(true, ByteBuffer.wrap("{\"orders\":[]}".getBytes()), callback);
                return true;
            }
        };
        resource.setHandler(new MayflyAuthHandler(verifier, r -> Set.of("orders:read"), r -> false, ok));
        resource.start();
        return new Provisioned(Scenario.Target.of(issuer, "http://127.0.0.1:" + connector.getLocalPort(), AUDIENCE,
                agent.get("client_id").asText(), agent.get("client_secret").asText()), resource, adminToken);
    }

    /** An admin token (2-minute lifetime): for revocations and the revocation feed. */
    String adminToken() {
        return adminToken;
    }

    public Scenario.Target target() {
        return target;
    }

    @Override
    public void close() throws Exception {
        resource.stop();
        broker.close();
    }

    /** Resident memory of this process (Linux), in MB; -1 where unknown. */
    static long residentMb() {
        return procStatusMb("self", "VmRSS:");
    }

    /** A memory line of {@code /proc/PID/status} (VmRSS: now, VmHWM: peak), in MB; -1 where unknown. */
    static long procStatusMb(String pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
