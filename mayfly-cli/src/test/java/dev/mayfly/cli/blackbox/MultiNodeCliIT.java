package dev.mayfly.cli.blackbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.core.json.Json;
import dev.mayfly.server.testing.BrokerClient;
import dev.mayfly.server.testing.BrokerProcess;
import dev.mayfly.server.testing.Postgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI against several nodes of one broker (real broker processes on one real PostgreSQL): given every
 * node's URL ({@code --url A,B}, repeated {@code --url}, or {@code MAYFLY_URL=A,B}) a login remembers the set,
 * and with a node down (refused connections) or answering 503 (its database gone) each command is carried
 * by another; with every node down it is {@code UNAVAILABLE}, exit 12.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MultiNodeCliIT {
    private static final String ISSUER = "https://mayfly.test";

    @TempDir
    static Path dir;

    static Postgres pg;
    static Postgres sickPg;
    static BrokerProcess a;
    static BrokerProcess b;
    static BrokerProcess sick;
    static JsonNode agent;

    @BeforeAll
    static void cluster() throws IOException {
        pg = Postgres.dedicated();
        String db = pg.createDatabase();
        String masterKey = masterKey();
        a = BrokerProcess.start(db, ISSUER, masterKey, Map.of());
        b = BrokerProcess.start(db, ISSUER, masterKey, Map.of());
        JsonNode admin = Json.mapper().readTree(a.home().resolve("admin.json").toFile());
        BrokerClient client = new BrokerClient(a.url());
        agent = client.createAgent(client.adminToken(admin), "fleet-cli", "interactive", List.of("api:read"),
                List.of("https://api.example"));
        // A node whose database is gone: it is up, and answers every token request with 503 UNAVAILABLE.
        sickPg = Postgres.dedicated();
        sick = BrokerProcess.start(sickPg.createDatabase(), ISSUER, masterKey(), Map.of());
        sickPg.stop();
    }

    @AfterAll
    static void stop() {
        for (BrokerProcess p : new BrokerProcess[] {a, b, sick}) {
            if (p != null) {
                p.close();
            }
        }
        for (Postgres p : new Postgres[] {pg, sickPg}) {
            if (p != null) {
                p.stop();
            }
        }
    }

    private static String masterKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    @Test
    @Order(2)
    void aLoginRemembersTheNodesAndEachCommandFailsOverUntilNoneIsLeft() throws IOException {
        Path home = Files.createDirectories(dir.resolve("home"));
        // Logged in through --url A,B; the session is stored under the whole set.
        JsonNode login = run(home, Map.of("MAYFLY_CLIENT_ID", agent.get("client_id").asText(),
                "MAYFLY_CLIENT_SECRET", agent.get("client_secret").asText()),
                "auth", "login", "--url", a.url() + "," + b.url() + "/").data();
        assertThat(login.toString()).doesNotContain("mfy_rt_");
        JsonNode cache = Json.mapper().readTree(home.resolve("credentials.json").toFile()).get("sessions");
        assertThat(cache.has(a.url() + "," + b.url())).as(cache.toString()).isTrue();

        // The same set, given as MAYFLY_URL or as repeated --url, names the same session.
        String set = a.url() + "," + b.url();
        assertThat(run(home, Map.of("MAYFLY_URL", set), "whoami").data().get("agent_id").asText())
                .isEqualTo(agent.get("agent_id").asText());
        assertThat(run(home, Map.of(), "whoami", "--url", a.url(), "--url", b.url()).data().get("agent_id").asText())
                .isEqualTo(agent.get("agent_id").asText());

        // A is gone (connections refused): every kind of call is carried by B.
        a.kill();
        assertThat(run(home, Map.of("MAYFLY_URL", set), "whoami").data().get("agent_id").asText())
                .isEqualTo(agent.get("agent_id").asText());
        assertThat(run(home, Map.of("MAYFLY_URL", set), "token", "issue", "--scope", "api:read").data()
                .get("expires_in").asLong()).isPositive();
        run(home, Map.of("MAYFLY_URL", set), "auth", "refresh").data();
        assertThat(run(home, Map.of("MAYFLY_URL", set), "whoami").data().get("agent_id").asText())
                .isEqualTo(agent.get("agent_id").asText());
        // A new login with A first in the list still works.
        Path second = Files.createDirectories(dir.resolve("second"));
        run(second, Map.of("MAYFLY_URL", set, "MAYFLY_CLIENT_ID", agent.get("client_id").asText(),
                "MAYFLY_CLIENT_SECRET", agent.get("client_secret").asText()), "auth", "login").data();

        // B gone too: no node answers, UNAVAILABLE (exit 12), no stack trace.
        b.kill();
        CliResult none = run(home, Map.of("MAYFLY_URL", set), "whoami");
        JsonNode e = none.error("UNAVAILABLE", 12);
        assertThat(e.get("retryable").asBoolean()).isTrue();
        assertThat(none.stderr()).doesNotContain("Exception", "\tat ");
        CliResult noLogin = run(second, Map.of("MAYFLY_URL", set, "MAYFLY_CLIENT_ID", agent.get("client_id").asText(),
                "MAYFLY_CLIENT_SECRET", agent.get("client_secret").asText()), "auth", "login");
        noLogin.error("UNAVAILABLE", 12);
    }

    @Test
    @Order(1) // before the other stops the cluster
    void aLoginMovesOnFromANodeAnswering503() throws IOException {
        BrokerProcess live = a;
        Path home = Files.createDirectories(dir.resolve("sick-first"));
        Map<String, String> env = Map.of("MAYFLY_CLIENT_ID", agent.get("client_id").asText(),
                "MAYFLY_CLIENT_SECRET", agent.get("client_secret").asText(), "MAYFLY_URL", sick.url() + "," + live.url());
        JsonNode login = run(home, env, "auth", "login").data();
        assertThat(login.get("agent_id").asText()).isEqualTo(agent.get("agent_id").asText());
        // The sick node alone: its own 503 is what the user sees.
        CliResult alone = run(Files.createDirectories(dir.resolve("sick-only")), Map.of("MAYFLY_CLIENT_ID",
                agent.get("client_id").asText(), "MAYFLY_CLIENT_SECRET", agent.get("client_secret").asText(),
                "MAYFLY_URL", sick.url()), "auth", "login");
        alone.error("UNAVAILABLE", 12);
    }

    /** {@code java -jar mayfly.jar ARGS} on the real clock, in {@code home}, with {@code env} and nothing else of Mayfly's. */
    private static CliResult run(Path home, Map<String, String> env, String... args) {
        List<String> argv = new ArrayList<>(List.of("java", "-jar", Cli.JAR.toString()));
        argv.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(argv);
        Map<String, String> e = new HashMap<>(System.getenv());
        e.keySet().removeIf(k -> k.startsWith("MAYFLY_"));
        e.put("MAYFLY_HOME", home.toString());
        e.putAll(env);
        pb.environment().clear();
        pb.environment().putAll(e);
        try {
            return Cli.finish(pb.start(), "");
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
