package dev.mayfly.cli.blackbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.server.testing.BrokerClient;
import dev.mayfly.server.testing.BrokerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code mayfly conform}: a CLI that cannot tell expiry from denial scores 0; mayfly scores 3. */
class ConformIT {
    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    @TempDir
    static Path dir;

    static Cli cli;

    @BeforeAll
    static void setUp() {
        cli = new Cli(broker, dir);
        // Deliberately bad: every auth failure is the same 403, whatever happened.
        cli.script("badcli", "echo 'Error: 403 Forbidden' >&2\necho '{\"error\":\"forbidden\"}'\nexit 1");
        // Says "expired" in prose, nothing a machine can use.
        cli.script("prosecli", "if [ \"$CRED\" = expired ]; then echo 'Error: your session has expired, log in again' >&2;"
                + " else echo 'Error: you are not allowed to do that' >&2; fi\nexit 1");
    }

    private static JsonNode criterion(JsonNode data, String id) {
        for (JsonNode c : data.get("criteria")) {
            if (c.get("id").asText().equals(id)) {
                return c;
            }
        }
        throw new AssertionError("no criterion " + id);
    }

    @Test
    void aCliThatAnswersForbiddenForEverythingScoresZero() {
        JsonNode data = cli.in(cli.newHome("bad")).run("conform", "--env", "CRED=expired", "--denied-env", "CRED=denied",
                "--", "badcli", "list").data();
        assertThat(data.get("score").asInt()).isZero();
        assertThat(criterion(data, "distinct_from_denial").get("held").asBoolean()).isFalse();
        assertThat(criterion(data, "code_credentials_expired").get("held").asBoolean()).isFalse();
        assertThat(data.at("/runs/expired/exit_code").asInt()).isEqualTo(1);
    }

    @Test
    void expiredInProseOnlyScoresOne() {
        JsonNode data = cli.in(cli.newHome("prose")).run("conform", "--env", "CRED=expired", "--denied-env", "CRED=denied",
                "--", "prosecli").data();
        assertThat(data.get("score").asInt()).isEqualTo(1);
    }

    @Test
    void mayflyWhoamiScoresThree() throws Exception {
        JsonNode agent = cli.createAgent("conform-agent", List.of("orders:read"), List.of());
        BrokerClient.Response login = broker.client().login(agent.get("client_id").asText(), agent.get("client_secret").asText());
        Path expired = dir.resolve("expired.jwt");
        Files.writeString(expired, login.body().get("access_token").asText());
        cli.advance(Duration.ofSeconds(login.body().get("expires_in").asLong() + 31));

        CliResult r = cli.in(cli.newHome("mayfly")).run("conform", "--env", "MAYFLY_TOKEN=@" + expired, "--", "mayfly", "whoami");
        JsonNode data = r.data();
        r.assertNoSecrets();
        assertThat(data.get("score").asInt()).as(data.toString()).isEqualTo(3);
        for (JsonNode c : data.get("criteria")) {
            if (!c.get("id").asText().equals("denial_exit_8")) {
                assertThat(c.get("held").asBoolean()).as(c.toString()).isTrue();
            }
        }
        assertThat(criterion(data, "denial_exit_8").get("held").isNull()).as("not run without --denied-env").isTrue();
        assertThat(data.at("/runs/expired/exit_code").asInt()).isEqualTo(10);
        assertThat(data.at("/runs/expired/error_code").asText()).isEqualTo("CREDENTIALS_EXPIRED");
    }
}
