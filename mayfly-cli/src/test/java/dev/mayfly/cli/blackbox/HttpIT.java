package dev.mayfly.cli.blackbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.mayfly.client.UnverifiedJwt;
import dev.mayfly.server.testing.BrokerExtension;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mayfly http} against the broker and against a resource server that speaks only RFC 6750: expiry is
 * refreshed and replayed once, a denial is never retried, and the session token never leaves for the
 * resource server (it gets a task token minted for its audience).
 */
class HttpIT {
    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    @TempDir
    static Path dir;

    static Cli cli;
    static JsonNode agent;
    static HttpServer rs;
    /** Authorization headers seen, per path. */
    static final ConcurrentHashMap<String, List<String>> seen = new ConcurrentHashMap<>();
    static final Set<String> rejectedOnce = ConcurrentHashMap.newKeySet();

    @BeforeAll
    static void setUp() throws Exception {
        cli = new Cli(broker, dir);
        rs = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        rs.createContext("/", ex -> {
            String path = ex.getRequestURI().getPath();
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            seen.computeIfAbsent(path, p -> new CopyOnWriteArrayList<>()).add(auth);
            int status = 200;
            String body = "{\"orders\":[1,2]}";
            switch (path) {
                case "/expired" -> {
                    status = 401;
                    ex.getResponseHeaders().add("WWW-Authenticate", "Bearer realm=\"rs\", error=\"invalid_token\", error_description=\"The access token expired\"");
                    body = "";
                }
                case "/denied" -> {
                    status = 403;
                    ex.getResponseHeaders().add("WWW-Authenticate", "Bearer realm=\"rs\", error=\"insufficient_scope\", scope=\"orders:write\"");
                    body = "{\"message\":\"nope\"}";
                }
                case "/expired-once" -> {
                    if (rejectedOnce.add(path)) {
                        status = 401;
                        ex.getResponseHeaders().add("WWW-Authenticate", "Bearer error=\"invalid_token\", error_description=\"token expired\"");
                        body = "";
                    }
                }
                default -> { }
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                ex.getResponseBody().write(bytes);
            }
            ex.close();
        });
        rs.start();
        agent = cli.createAgent("http-agent", List.of("orders:read"), List.of(rsOrigin()));
    }

    static String rsOrigin() {
        return "http://127.0.0.1:" + rs.getAddress().getPort();
    }

    @AfterAll
    static void stop() {
        rs.stop(0);
    }

    static String rs(String path) {
        return "http://127.0.0.1:" + rs.getAddress().getPort() + path;
    }

    @Test
    void aRequestToTheBrokerCarriesTheSessionToken() {
        Path home = cli.newHome("broker");
        cli.login(home, agent);
        CliResult r = cli.in(home).run("http", "GET", broker.issuer() + "/v1/whoami");
        JsonNode data = r.data();
        r.assertNoSecrets();
        assertThat(data.get("status").asInt()).isEqualTo(200);
        assertThat(data.at("/body/data/agent_id").asText()).isEqualTo(agent.get("agent_id").asText());
    }

    @Test
    void aServerSideExpiryIsRefreshedAndReplayedOnce() {
        Path home = cli.newHome("replay");
        cli.login(home, agent);
        CliResult ok = cli.in(home).run("http", "GET", rs("/expired-once"), "--audience", rsOrigin());
        assertThat(ok.data().at("/body/orders")).hasSize(2);
        assertThat(ok.warnings().toString()).contains("expired").contains("retried once");
        List<String> auth = seen.get("/expired-once");
        assertThat(auth).hasSize(2);
        assertThat(auth.get(1)).as("the replay carries a fresh token").isNotEqualTo(auth.get(0));

        CliResult expired = cli.in(home).run("http", "GET", rs("/expired"), "--audience", rsOrigin());
        JsonNode e = expired.error("CREDENTIALS_EXPIRED", 10);
        assertThat(e.get("http_status").asInt()).isEqualTo(401);
        // The replay's token was minted a moment ago: its exp lies ahead and is no expiry that happened.
        JsonNode at = e.get("expired_at");
        assertThat(at.isNull() || !Instant.parse(at.asText()).isAfter(broker.clock().instant().plusSeconds(30)))
                .as("expired_at %s is not in the future", at).isTrue();
        assertThat(seen.get("/expired")).as("one replay, no more").hasSize(2);
    }

    @Test
    void theSessionTokenIsNeverSentToAnotherHost() {
        Path home = cli.newHome("foreign");
        cli.login(home, agent);
        JsonNode e = cli.in(home).run("http", "GET", rs("/steal")).error("USAGE", 2);
        assertThat(e.get("message").asText()).contains("--audience");
        assertThat(seen.get("/steal")).as("nothing reached the other host").isNull();

        // A host whose origin is a string prefix of the broker's is another host all the same.
        String brokerPort = String.valueOf(URI.create(broker.issuer()).getPort());
        String prefix = "http://127.0.0.1:" + brokerPort.substring(0, brokerPort.length() - 1) + "/v1/whoami";
        cli.in(home).run("http", "GET", prefix).error("USAGE", 2);
        cli.in(home).run("http", "GET", "http://127.0.0.1/v1/whoami").error("USAGE", 2);

        // With --audience it gets a task token for that audience, which the broker would not take as a session.
        CliResult ok = cli.in(home).run("http", "GET", rs("/steal"), "--audience", rsOrigin(), "--scope", "orders:read");
        assertThat(ok.data().get("status").asInt()).isEqualTo(200);
        String sent = seen.get("/steal").get(0).substring("Bearer ".length());
        UnverifiedJwt claims = UnverifiedJwt.read(sent).orElseThrow();
        assertThat(claims.audience()).containsExactly(rsOrigin());
        assertThat(claims.taskId()).as("a task token").isNotBlank();
    }

    @Test
    void aCallerChosenTaskTokenMayGoToItsHost() {
        Path home = cli.newHome("env-task");
        cli.login(home, agent);
        String task = cli.in(home).run("token", "issue", "--scope", "orders:read", "--audience", rsOrigin())
                .data().get("access_token").asText();
        CliResult ok = cli.in(cli.newHome("env-only")).env("MAYFLY_TOKEN", task).run("http", "GET", rs("/env-task"));
        assertThat(ok.data().get("status").asInt()).isEqualTo(200);
        assertThat(seen.get("/env-task")).containsExactly("Bearer " + task);
    }

    @Test
    void aDenialExitsEightWithoutARetry() {
        Path home = cli.newHome("denied");
        cli.login(home, agent);
        JsonNode e = cli.in(home).run("http", "GET", rs("/denied"), "--audience", rsOrigin()).error("PERMISSION_DENIED", 8);
        assertThat(e.get("required_scope").asText()).isEqualTo("orders:write");
        assertThat(e.at("/response/message").asText()).isEqualTo("nope");
        assertThat(seen.get("/denied")).hasSize(1);
    }

    @Test
    void whenOnlyTheBrokerKnowsTheTokenExpiredTheCliStillRefreshesAndReplays() {
        Path home = cli.newHome("skew");
        JsonNode login = cli.login(home, agent);
        // The broker's clock runs ahead of the CLI's: only the broker's 401 says the token expired.
        broker.clock().advance(Duration.between(broker.clock().instant(), Instant.parse(login.get("expires_at").asText()))
                .plusSeconds(31));
        try {
            CliResult r = cli.in(home).run("http", "GET", broker.issuer() + "/v1/whoami");
            assertThat(r.data().get("status").asInt()).isEqualTo(200);
            assertThat(r.warnings().toString()).contains("The server said the access token had expired");
        } finally {
            cli.syncClock();
        }
    }
}
