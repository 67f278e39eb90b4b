package dev.mayfly.cli.blackbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.server.testing.BrokerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code mayfly run}: recover from expiry with the command's own reauth_command, once; never retry a denial. */
class RunIT {
    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    @TempDir
    static Path dir;

    static Cli cli;

    @BeforeAll
    static void setUp() {
        cli = new Cli(broker, dir);
        // A fake agent CLI: counts its runs; 'auth refresh' leaves a marker; its answer depends on $MODE.
        cli.script("fakecli", String.join("\n",
                "if [ \"$1 $2\" = \"auth refresh\" ]; then echo refreshed >> \"$STATE/reauth\"; exit 0; fi",
                "echo run >> \"$STATE/runs\"",
                "expired='{\"ok\":false,\"data\":null,\"error\":{\"code\":\"TOKEN_EXPIRED\",\"message\":\"token expired\",'"
                        + "'\"reauth_command\":\"'\"$REAUTH\"'\"},\"warnings\":[],\"meta\":{\"duration_ms\":1,\"request_id\":\"req_fake\",\"schema_version\":\"1\"}}'",
                "case \"$MODE\" in",
                "  denied) echo '{\"ok\":false,\"data\":null,\"error\":{\"code\":\"PERMISSION_DENIED\",\"message\":\"no\","
                        + "\"reauth_command\":\"fakecli auth refresh\"},\"warnings\":[],\"meta\":{\"duration_ms\":1,\"request_id\":\"req_fake\",\"schema_version\":\"1\"}}'; exit 1 ;;",
                "  always-expired) echo \"$expired\"; exit 10 ;;",
                "  *) if [ -f \"$STATE/reauth\" ]; then echo '{\"ok\":true,\"data\":{\"n\":1},\"error\":null,\"warnings\":[],\"meta\":{\"duration_ms\":1,\"request_id\":\"req_fake\",\"schema_version\":\"1\"}}'; exit 0; fi",
                "     echo \"$expired\"; exit 10 ;;",
                "esac"));
    }

    private static Path state(String name) throws Exception {
        return Files.createDirectories(dir.resolve("state-" + name));
    }

    private static long lines(Path file) throws Exception {
        return Files.exists(file) ? Files.readAllLines(file).size() : 0;
    }

    @Test
    void anExpiredMayflyCommandIsRecoveredWithItsReauthCommandAndRetriedOnce() {
        JsonNode agent = cli.createAgent("run-agent", List.of("orders:read"), List.of());
        Path home = cli.newHome("run");
        JsonNode login = cli.login(home, agent);
        cli.advance(Duration.between(broker.clock().instant(), Instant.parse(login.get("expires_at").asText())).plusSeconds(31));

        CliResult r = cli.in(home).run("run", "--", "mayfly", "whoami", "--no-auto-refresh");
        JsonNode data = r.data();
        assertThat(data.get("agent_id").asText()).isEqualTo(agent.get("agent_id").asText());
        assertThat(r.warnings().toString()).contains("CREDENTIALS_EXPIRED").contains("mayfly auth refresh").contains("retried");
    }

    @Test
    void anotherClisExpiryIsRecoveredWithItsOwnCommand() throws Exception {
        Path state = state("recover");
        CliResult r = cli.in(cli.newHome("fake-recover")).env("STATE", state.toString())
                .env("REAUTH", "fakecli auth refresh").run("run", "--", "fakecli", "list");
        assertThat(r.data().get("n").asInt()).isEqualTo(1);
        assertThat(lines(state.resolve("reauth"))).isEqualTo(1);
        assertThat(lines(state.resolve("runs"))).isEqualTo(2);
        assertThat(r.warnings().toString()).contains("TOKEN_EXPIRED").contains("fakecli auth refresh");
    }

    @Test
    void aPermanentDenialStopsAtOnceWithExitEight() throws Exception {
        Path state = state("denied");
        CliResult r = cli.in(cli.newHome("fake-denied")).env("STATE", state.toString()).env("MODE", "denied")
                .run("run", "--", "fakecli", "list");
        assertThat(r.exit()).isEqualTo(8);
        assertThat(r.stdout()).contains("PERMISSION_DENIED");
        assertThat(lines(state.resolve("runs"))).as("never retried").isEqualTo(1);
        assertThat(lines(state.resolve("reauth"))).as("no reauth for a denial").isZero();
    }

    @Test
    void reauthIsTriedOnceAndThenTheExpiryPassesThrough() throws Exception {
        Path state = state("always");
        CliResult r = cli.in(cli.newHome("fake-always")).env("STATE", state.toString()).env("MODE", "always-expired")
                .env("REAUTH", "fakecli auth refresh").run("run", "--", "fakecli", "list");
        assertThat(r.exit()).isEqualTo(10);
        assertThat(lines(state.resolve("reauth"))).isEqualTo(1);
        assertThat(lines(state.resolve("runs"))).isEqualTo(2);
    }

    @Test
    void aReauthCommandOfAnotherProgramIsNeverRun() throws Exception {
        Path state = state("foreign");
        CliResult r = cli.in(cli.newHome("fake-foreign")).env("STATE", state.toString())
                .env("REAUTH", "curl https://attacker.example").run("run", "--", "fakecli", "list");
        assertThat(r.exit()).isEqualTo(10);
        assertThat(lines(state.resolve("runs"))).isEqualTo(1);
        assertThat(r.stderr()).contains("not retried").contains("not a command of fakecli");
    }
}
