package dev.mayfly.cli.blackbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.core.json.Json;
import dev.mayfly.server.testing.BrokerClient;
import dev.mayfly.server.testing.BrokerExtension;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code mayfly exec}: a task token in the child, fresh for as long as it runs, revoked after, exit code through. */
class ExecIT {
    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    @TempDir
    static Path dir;

    static Cli cli;
    static JsonNode agent;

    @BeforeAll
    static void setUp() {
        cli = new Cli(broker, dir);
        agent = cli.createAgent("exec-agent", List.of("orders:read", "orders:write"), List.of());
    }

    private static List<String> revokedJtis() {
        String admin = broker.client().adminToken(broker.adminCredentials());
        List<String> out = new ArrayList<>();
        broker.client().get("/v1/revocations?since=0&limit=1000", admin).body().at("/data/revocations")
                .forEach(r -> out.add(r.get("target").asText()));
        return out;
    }

    @Test
    void theChildGetsAFreshTokenAfterTheFirstExpiresAndItsExitCodeAndAllTokensAreRevoked() throws Exception {
        Path home = cli.newHome("exec");
        cli.login(home, agent);
        Path out = Files.createDirectories(dir.resolve("exec-out"));
        Path child = cli.script("exec-child", String.join("\n",
                "set -e",
                "mayfly whoami > \"$OUT/first.json\"",
                "env | grep '^MAYFLY_' | cut -d= -f1 | sort > \"$OUT/vars\"",
                "MAYFLY_CREDENTIALS_TOKEN=guessed mayfly whoami > \"$OUT/guessed.json\" || true",
                "echo ready",
                "read go",
                "mayfly whoami > \"$OUT/second.json\"",
                "exit 7"));

        Process p = cli.in(home).env("OUT", out.toString())
                .env("MAYFLY_CLIENT_SECRET", agent.get("client_secret").asText())
                .start("exec", "--scope", "orders:read", "--", child.toString());
        try {
            runTheChild(p, out);
        } finally {
            Cli.reap(p);
        }
    }

    private static void runTheChild(Process p, Path out) throws Exception {
        BufferedReader stdout = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        assertThat(stdout.readLine()).isEqualTo("ready");
        JsonNode first = Json.mapper().readTree(out.resolve("first.json").toFile());
        assertThat(first.get("ok").asBoolean()).as(first.toString()).isTrue();

        // Past the task token's expiry (and the session token's); the session itself still has time.
        Instant exp = Instant.parse(first.at("/data/expires_at").asText());
        cli.advance(Duration.between(broker.clock().instant(), exp).plusSeconds(31));
        try (OutputStream stdin = p.getOutputStream()) {
            stdin.write("go\n".getBytes(StandardCharsets.UTF_8));
        }
        assertThat(p.waitFor(90, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("the child's exit code; stderr: %s", Cli.read(p.getErrorStream())).isEqualTo(7);

        JsonNode second = Json.mapper().readTree(out.resolve("second.json").toFile());
        assertThat(second.get("ok").asBoolean()).as(second.toString()).isTrue();
        assertThat(first.at("/data/token_kind").asText()).isEqualTo("task");
        assertThat(first.at("/data/credential_source").asText()).isEqualTo("exec");
        assertThat(second.at("/data/jti").asText()).as("a fresh token").isNotEqualTo(first.at("/data/jti").asText());
        assertThat(second.at("/data/task_id").asText()).as("for the same task").isEqualTo(first.at("/data/task_id").asText());
        assertThat(second.at("/data/scopes").toString()).isEqualTo("[\"orders:read\"]");

        JsonNode guessed = Json.mapper().readTree(out.resolve("guessed.json").toFile());
        assertThat(guessed.at("/error/code").asText()).as("the endpoint wants the per-run secret").isEqualTo("CREDENTIALS_INVALID");
        assertThat(Files.readAllLines(out.resolve("vars"))).contains("MAYFLY_TOKEN", "MAYFLY_CREDENTIALS_URL",
                "MAYFLY_CREDENTIALS_TOKEN", "MAYFLY_TASK_ID", "MAYFLY_TOKEN_EXPIRES_AT")
                .doesNotContain("MAYFLY_CLIENT_SECRET");
        // The first token had already expired (the broker keeps no revocation for a dead token); the live one is revoked.
        assertThat(revokedJtis()).as("the task token still live when the child exits is revoked")
                .contains(second.at("/data/jti").asText());
    }

    @Test
    void signalsReachTheChildAndTheTokenIsStillRevoked() throws Exception {
        Path home = cli.newHome("signal");
        cli.login(home, agent);
        Path child = cli.script("signal-child", String.join("\n",
                "trap 'echo got-term; exit 42' TERM",
                "mayfly whoami | grep -o '\"jti\":\"[^\"]*\"' | head -1",
                "echo ready",
                "while true; do sleep 0.1; done"));
        Process p = cli.in(home).start("exec", "--scope", "orders:read", "--", child.toString());
        try {
            BufferedReader stdout = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String jti = stdout.readLine().replaceAll(".*:\"([^\"]*)\"", "$1");
            assertThat(stdout.readLine()).isEqualTo("ready");
            p.toHandle().destroy(); // SIGTERM to mayfly exec (Process.destroy would also close our end of its pipes)
            assertThat(p.waitFor(90, TimeUnit.SECONDS)).isTrue();
            assertThat(stdout.readLine()).isEqualTo("got-term");
            assertThat(p.exitValue()).isEqualTo(42);
            assertThat(revokedJtis()).contains(jti);
        } finally {
            Cli.reap(p); // the child loops forever if the test failed before signalling it
        }
    }

    @Test
    void aCommandThatCannotStartIsNotFoundAndItsTokenIsRevoked() {
        Path home = cli.newHome("missing-cmd");
        cli.login(home, agent);
        int revokedBefore = revokedJtis().size();
        CliResult r = cli.in(home).run("exec", "--scope", "orders:read", "--", "/no/such/program");
        assertThat(r.error("NOT_FOUND", 5).get("message").asText()).contains("/no/such/program");
        r.assertNoSecrets();
        assertThat(revokedJtis()).hasSize(revokedBefore + 1);
    }

    @Test
    void execInsideExecIsRefused() {
        CliResult r = cli.in(cli.newHome("nested")).env("MAYFLY_CREDENTIALS_URL", "http://127.0.0.1:9/token")
                .env("MAYFLY_CREDENTIALS_TOKEN", "run_x").run("exec", "--scope", "orders:read", "--", "true");
        assertThat(r.error("PRECONDITION", 4).get("message").asText()).contains("Already inside 'mayfly exec'");
    }

    @Test
    void withoutASessionExecFailsBeforeRunningAnything() {
        CliResult r = cli.in(cli.newHome("exec-nobody")).run("exec", "--scope", "orders:read", "--", "true");
        r.error("CREDENTIALS_MISSING", 4);
    }

    @Test
    void withMayflyTokenAsTheSessionTheChildGetsTaskTokensOfOneTask() throws Exception {
        BrokerClient.Response login = broker.client().login(agent.get("client_id").asText(), agent.get("client_secret").asText());
        Path out = Files.createDirectories(dir.resolve("env-exec-out"));
        Path child = cli.script("env-exec-child", String.join("\n",
                "mayfly whoami > \"$OUT/first.json\"",
                "MAYFLY_CREDENTIALS_URL=\"$MAYFLY_CREDENTIALS_URL?renew=1\" mayfly whoami > \"$OUT/renewed.json\" || true",
                "exit 3"));
        CliResult r = cli.in(cli.newHome("env-exec")).env("OUT", out.toString())
                .env("MAYFLY_TOKEN", login.body().get("access_token").asText())
                .run("exec", "--scope", "orders:read", "--task", "nightly-report", "--", child.toString());
        assertThat(r.exit()).as(r.toString()).isEqualTo(3);
        JsonNode first = Json.mapper().readTree(out.resolve("first.json").toFile());
        assertThat(first.at("/data/token_kind").asText()).as(first.toString()).isEqualTo("task");
        assertThat(first.at("/data/task_id").asText()).isEqualTo("nightly-report");
        JsonNode renewed = Json.mapper().readTree(out.resolve("renewed.json").toFile());
        assertThat(renewed.at("/data/jti").asText()).as("?renew=1 mints a new token: " + renewed)
                .isNotEqualTo(first.at("/data/jti").asText());
        assertThat(renewed.at("/data/task_id").asText()).isEqualTo("nightly-report");
        assertThat(revokedJtis()).as("every token handed out is revoked at exit")
                .contains(first.at("/data/jti").asText(), renewed.at("/data/jti").asText());
    }

    @Test
    void aTaskIdTheBrokerWouldRefuseIsUsageBeforeAnythingRuns() {
        Path home = cli.newHome("bad-task");
        cli.login(home, agent);
        int revokedBefore = revokedJtis().size();
        CliResult r = cli.in(home).run("exec", "--scope", "orders:read", "--task", "no spaces allowed", "--", "true");
        assertThat(r.error("USAGE", 2).get("message").asText()).contains("task id");
        assertThat(revokedJtis()).as("nothing was minted").hasSize(revokedBefore);
    }

    @Test
    void anExpiredMayflyTokenAsTheSessionIsExplainedForThatVariable() {
        BrokerClient.Response login = broker.client().login(agent.get("client_id").asText(), agent.get("client_secret").asText());
        cli.advance(Duration.ofSeconds(login.body().get("expires_in").asLong() + 31));
        CliResult r = cli.in(cli.newHome("env-expired")).env("MAYFLY_TOKEN", login.body().get("access_token").asText())
                .run("exec", "--scope", "orders:read", "--", "true");
        JsonNode e = r.error("CREDENTIALS_EXPIRED", 10);
        r.assertNoSecrets();
        assertThat(e.get("credential_source").asText()).isEqualTo("MAYFLY_TOKEN");
        assertThat(e.get("reauth_command").isNull()).as("nothing in place can renew MAYFLY_TOKEN: " + e).isTrue();
        assertThat(e.get("fix_required").asText()).contains("MAYFLY_TOKEN");
    }
}
