package dev.mayfly.cli.blackbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.server.testing.BrokerExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Parallel invocations sharing one cache, all finding the token expired: exactly one refreshes, the others
 * take its result. Had two presented the same refresh token, the broker would have revoked the session.
 */
class ConcurrentRefreshIT {
    private static final int PARALLEL = 6;

    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    @TempDir
    static Path dir;

    @Test
    void parallelCommandsRefreshOnceAndTheSessionSurvives() {
        Cli cli = new Cli(broker, dir);
        JsonNode agent = cli.createAgent("parallel-agent", List.of("orders:read"), List.of());
        Path home = cli.newHome("shared");
        JsonNode login = cli.login(home, agent);
        cli.advance(Duration.between(broker.clock().instant(), Instant.parse(login.get("expires_at").asText())).plusSeconds(31));

        List<Process> running = new ArrayList<>();
        for (int i = 0; i < PARALLEL; i++) {
            running.add(cli.in(home).start("whoami"));
        }
        List<CliResult> results = running.stream().map(p -> Cli.finish(p, "")).toList();

        int refreshedHere = 0;
        for (CliResult r : results) {
            assertThat(r.data().get("session_id").asText()).isEqualTo(login.get("session_id").asText());
            refreshedHere += r.warnings().size();
        }
        assertThat(refreshedHere).as("invocations that refreshed (and said so)").isEqualTo(1);

        String admin = broker.client().adminToken(broker.adminCredentials());
        JsonNode refreshes = broker.client().get("/v1/audit?event=token.refreshed&session_id="
                + login.get("session_id").asText(), admin).body().at("/data/records");
        assertThat(refreshes).as("refreshes the broker saw").hasSize(1);
        assertThat(cli.in(home).run("whoami").warnings()).as("the session was not revoked for reuse").isEmpty();
    }
}
