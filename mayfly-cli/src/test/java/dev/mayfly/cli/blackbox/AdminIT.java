package dev.mayfly.cli.blackbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.core.json.Json;
import dev.mayfly.server.testing.BrokerExtension;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The operator's commands, with the bootstrap admin's admin.json: agents, revocations, the catalog and schema. */
class AdminIT {
    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    @TempDir
    static Path dir;

    static Cli cli;
    static Path admin;

    @BeforeAll
    static void setUp() {
        cli = new Cli(broker, dir);
        admin = cli.adminHome();
    }

    @Test
    void agentsAreCreatedListedShownAndDisabled() {
        CliResult created = cli.in(admin).run("agent", "create", "ops-bot", "--scope", "orders:read", "--scope", "orders:write",
                "--audience", "https://orders.example", "--kind", "llm");
        JsonNode agent = created.data();
        assertThat(agent.get("client_secret").asText()).as("shown this once").startsWith("mfy_cs_");
        assertThat(created.stderr()).doesNotContain(agent.get("client_secret").asText());
        String id = agent.get("agent_id").asText();

        assertThat(cli.in(admin).run("agent", "list").data().get("agents").findValuesAsText("agent_id")).contains(id);
        CliResult shown = cli.in(admin).run("agent", "show", id);
        assertThat(shown.data().get("name").asText()).isEqualTo("ops-bot");
        shown.assertNoSecrets();
        cli.in(admin).run("agent", "show", "agt_nope").error("NOT_FOUND", 5);
        cli.in(admin).run("agent", "create", "ops-bot", "--scope", "orders:read").error("CONFLICT", 6);

        Path home = cli.newHome("ops-bot");
        cli.login(home, agent);
        cli.in(admin).run("agent", "disable", id, "--reason", "test").data();
        cli.in(home).run("whoami").error("CREDENTIALS_REVOKED", 11);
        cli.in(cli.newHome("ops-bot-again")).env("MAYFLY_CLIENT_ID", agent.get("client_id").asText())
                .env("MAYFLY_CLIENT_SECRET", agent.get("client_secret").asText()).run("auth", "login")
                .error("CREDENTIALS_REVOKED", 11);
    }

    @Test
    void revocationsAreWatchedAsJsonLines() throws Exception {
        String adminToken = broker.client().adminToken(broker.adminCredentials());
        long latest = broker.client().get("/v1/revocations?since=0&limit=1000", adminToken).body()
                .at("/data/revocations").findValues("seq").stream().mapToLong(JsonNode::asLong).max().orElse(0);
        Process watch = cli.in(admin).start("revocations", "watch", "--since", Long.toString(latest), "--max-events", "1");
        try {
            watchOneRevocation(watch, latest);
        } finally {
            Cli.reap(watch);
        }
    }

    private static void watchOneRevocation(Process watch, long latest) throws Exception {

        String owner = cli.createAgent("watched-agent-" + latest, List.of("orders:read"), List.of()).get("agent_id").asText();
        cli.in(admin).run("token", "revoke", "--admin", "--task", "watched-task", "--task-agent", owner,
                "--reason", "watch test").data();
        BufferedReader out = new BufferedReader(new InputStreamReader(watch.getInputStream(), StandardCharsets.UTF_8));
        JsonNode line = Json.mapper().readTree(out.readLine());
        assertThat(line.get("event").asText()).isEqualTo("revocation");
        assertThat(line.at("/data/kind").asText()).isEqualTo("task");
        assertThat(line.at("/data/target").asText()).isEqualTo("watched-task");
        assertThat(line.get("id").asLong()).isGreaterThan(latest);
        assertThat(watch.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(watch.exitValue()).isZero();
    }

    @Test
    void aWatchTheBrokerClosesBecauseItsAgentWasRevokedEndsWithThatErrorUnderNoReconnect() throws Exception {
        JsonNode watcher = cli.createAgent("revocation-watcher", List.of("mayfly:revocations:read"), List.of());
        Path home = cli.newHome("revocation-watcher");
        cli.login(home, watcher);
        Process watch = cli.in(home).start("revocations", "watch", "--no-reconnect", "--heartbeats");
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(watch.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine(); // the stream is open once its first event (a heartbeat at the latest) arrives
            assertThat(line).as("the watch's first line").isNotNull();
            cli.in(admin).run("token", "revoke", "--admin", "--agent", watcher.get("agent_id").asText(),
                    "--reason", "watch closed test").data();
            JsonNode closed = null;
            while ((line = out.readLine()) != null) {
                JsonNode event = Json.mapper().readTree(line);
                if ("closed".equals(event.path("event").asText())) {
                    closed = event;
                    break;
                }
            }
            assertThat(closed).as("a closed event").isNotNull();
            assertThat(closed.at("/data/code").asText()).isEqualTo("CREDENTIALS_REVOKED");
            JsonNode envelope = Json.mapper().readTree(out.readLine());
            assertThat(envelope.at("/error/code").asText()).isEqualTo("CREDENTIALS_REVOKED");
            assertThat(watch.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(watch.exitValue()).as("the closed event's exit code, not 0").isEqualTo(11);
        } finally {
            Cli.reap(watch);
        }
    }

    @Test
    void theCatalogAndTheSchemaComeFromThePlainJarAndTheLauncher() {
        JsonNode errors = cli.in(admin).runJar("errors").data().get("errors");
        assertThat(errors.findValuesAsText("code")).contains("CREDENTIALS_EXPIRED", "PERMISSION_DENIED");
        JsonNode schema = cli.in(admin).run("schema").data();
        assertThat(schema.at("/command/subcommands").findValuesAsText("name")).contains("exec", "run", "conform", "http");
        CliResult usage = cli.in(admin).run("whoami", "--no-such-flag");
        usage.error("USAGE", 2);
    }
}
