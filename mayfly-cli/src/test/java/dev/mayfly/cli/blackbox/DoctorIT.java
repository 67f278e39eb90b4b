package dev.mayfly.cli.blackbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.server.testing.BrokerExtension;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mayfly doctor} against a real broker: a healthy deployment passes every check, a client secret in
 * two concurrent instances is warned, an unreachable broker is UNAVAILABLE, and the canary measures and
 * cleans up. Ordered: the healthy run comes before this class creates the shared secret it must not see.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DoctorIT {
    static final List<String> CHECKS = List.of("broker", "clock", "metadata", "tls", "policy", "shared-secrets",
            "revocation-canary", "audit-chain", "scanner-paths");

    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    @TempDir
    static Path dir;

    static Cli cli;
    static Path admin;
    static Path logs;

    @BeforeAll
    static void setUp() throws IOException {
        cli = new Cli(broker, dir);
        admin = cli.adminHome();
        logs = Files.createDirectories(dir.resolve("logs"));
        Files.writeString(logs.resolve("agent.log"), "2026-11-22T14:00:00Z INFO task started\n");
    }

    static Map<String, JsonNode> byId(JsonNode data) {
        Map<String, JsonNode> m = new LinkedHashMap<>();
        data.get("checks").forEach(c -> m.put(c.get("id").asText(), c));
        return m;
    }

    @Test
    @Order(1)
    void aHealthyDeploymentPassesEveryCheckAndTheCanaryMeasuresAndCleansUp() {
        CliResult run = cli.in(admin).run("doctor", "--log-path", logs.toString());
        JsonNode data = run.data();
        run.assertNoSecrets();
        Map<String, JsonNode> checks = byId(data);
        assertThat(checks.keySet()).containsExactlyElementsOf(CHECKS);
        JsonNode canary = checks.get("revocation-canary");
        for (JsonNode c : checks.values()) {
            if (c == canary && canary.at("/evidence/verifier_ms").asLong() > 1000) {
                continue; // a loaded machine may be slow: that is a warning, judged below, not a failure
            }
            assertThat(c.get("status").asText()).as(c.toString()).isEqualTo("pass");
        }
        assertThat(data.get("failed").asLong()).isZero();

        assertThat(checks.get("broker").at("/evidence/ready").asBoolean()).isTrue();
        assertThat(checks.get("clock").at("/evidence/skew_ms").asLong()).isBetween(-1000L, 1000L);
        assertThat(checks.get("metadata").at("/evidence/issuer").asText()).isEqualTo(broker.issuer());
        assertThat(checks.get("metadata").at("/evidence/keys").asInt()).isPositive();
        assertThat(checks.get("tls").at("/evidence/loopback").asBoolean()).isTrue();
        assertThat(checks.get("audit-chain").at("/evidence/checked").asLong()).isPositive();
        assertThat(checks.get("scanner-paths").at("/evidence/scanned").asBoolean()).isTrue();
        assertThat(checks.get("scanner-paths").at("/evidence/findings").asInt()).isZero();

        JsonNode e = canary.get("evidence");
        assertThat(canary.get("status").asText()).isIn("pass", "warn");
        assertThat(e.get("baseline").asText()).isEqualTo("accepted");
        assertThat(e.get("verifier_says").asText()).isEqualTo("CREDENTIALS_REVOKED");
        assertThat(e.get("broker_says").asText()).isEqualTo("CREDENTIALS_REVOKED");
        assertThat(e.get("revoke_ms").asLong()).isNotNegative();
        assertThat(e.get("feed_ms").asLong()).isGreaterThanOrEqualTo(e.get("revoke_ms").asLong());
        assertThat(e.get("verifier_ms").asLong()).isGreaterThanOrEqualTo(e.get("feed_ms").asLong());
        assertThat(e.get("cleaned_up").asBoolean()).isTrue();
        // The canary agent is really disabled, and its revocation is in the log.
        JsonNode agent = cli.in(admin).run("agent", "show", e.get("canary_agent_id").asText()).data();
        assertThat(agent.get("disabled").asBoolean()).isTrue();
        assertThat(agent.get("name").asText()).startsWith("doctor-canary-");
    }

    @Test
    @Order(2)
    void oneClientSecretInTwoConcurrentInstancesIsWarned() {
        JsonNode shared = cli.createAgent("shared-bot", List.of("reports:read"), List.of());
        Path first = cli.newHome("instance-1");
        Path second = cli.newHome("instance-2");
        cli.login(first, shared);
        cli.advance(Duration.ofSeconds(5));
        cli.login(second, shared);
        cli.advance(Duration.ofSeconds(5));
        // The first instance keeps using its session after the second one started: two holders of one secret.
        assertThat(cli.in(first).run("auth", "refresh").exit()).isZero();

        CliResult run = cli.in(admin).run("doctor", "--log-path", logs.toString(), "--no-canary");
        JsonNode data = run.data();
        JsonNode check = byId(data).get("shared-secrets");
        assertThat(check.get("status").asText()).isEqualTo("warn");
        JsonNode found = check.at("/evidence/shared/0");
        assertThat(found.get("agent_id").asText()).isEqualTo(shared.get("agent_id").asText());
        assertThat(found.get("name").asText()).isEqualTo("shared-bot");
        assertThat(found.get("interleavings").asInt()).isEqualTo(1);
        assertThat(found.get("sessions")).hasSize(2);
        assertThat(found.get("client_addrs").get(0).asText()).isEqualTo("127.0.0.1");
        assertThat(check.at("/evidence/shared")).hasSize(1);
        List<String> warnings = new ArrayList<>();
        run.warnings().forEach(w -> warnings.add(w.asText()));
        assertThat(warnings).anyMatch(w -> w.startsWith("shared-secrets: 1 agent(s) with one client secret"))
                .anyMatch(w -> w.startsWith("revocation-canary: Not run (--no-canary)"));

        // Sequential use of one secret (log in, log out, log in again) is not flagged.
        JsonNode serial = cli.createAgent("serial-bot", List.of("reports:read"), List.of());
        Path home = cli.newHome("serial");
        cli.login(home, serial);
        assertThat(cli.in(home).run("auth", "refresh").exit()).isZero();
        assertThat(cli.in(home).run("auth", "logout").exit()).isZero();
        cli.login(home, serial);
        assertThat(cli.in(home).run("auth", "refresh").exit()).isZero();
        JsonNode again = byId(cli.in(admin).run("doctor", "--no-canary").data()).get("shared-secrets");
        assertThat(again.at("/evidence/shared").findValuesAsText("name")).containsExactly("shared-bot");
    }

    @Test
    @Order(3)
    void missingLogPathsFailTheScannerCheckWithTheChecksStillInData() throws IOException {
        Path config = dir.resolve("doctor.toml");
        Files.writeString(config, "log_paths = [\"logs\", \"no-such-dir\"]\n");
        CliResult run = cli.in(admin).run("doctor", "--config", config.toString(), "--no-canary");
        JsonNode env = run.envelope();
        assertThat(run.exit()).isEqualTo(4);
        assertThat(env.at("/error/code").asText()).isEqualTo("PRECONDITION");
        assertThat(env.at("/error/failed/0").asText()).isEqualTo("scanner-paths");
        JsonNode check = byId(env.get("data")).get("scanner-paths");
        assertThat(check.get("status").asText()).isEqualTo("fail");
        assertThat(check.at("/evidence/paths/0/readable").asBoolean()).isTrue();
        assertThat(check.at("/evidence/paths/1/exists").asBoolean()).isFalse();
        assertThat(check.get("summary").asText()).contains(dir.resolve("no-such-dir").toString());
    }

    @Test
    @Order(4)
    void anUnreachableBrokerIsUnavailableWithEveryCheckReported() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        CliResult run = cli.in(admin).run("doctor", "--url", "http://127.0.0.1:" + port, "--log-path", logs.toString());
        JsonNode env = run.envelope();
        assertThat(run.exit()).isEqualTo(12);
        assertThat(env.at("/error/code").asText()).isEqualTo("UNAVAILABLE");
        assertThat(env.at("/error/retryable").asBoolean()).isTrue();
        Map<String, JsonNode> checks = byId(env.get("data"));
        assertThat(checks.keySet()).containsExactlyElementsOf(CHECKS);
        assertThat(checks.get("broker").get("status").asText()).isEqualTo("fail");
        assertThat(checks.get("broker").get("summary").asText()).contains("Cannot reach http://127.0.0.1:" + port);
        assertThat(checks.get("clock").get("summary").asText()).isEqualTo("Not run: the broker is unreachable.");
        assertThat(checks.get("scanner-paths").get("status").asText()).isEqualTo("pass");
    }

    @Test
    @Order(5)
    void anAgentHoldingMayflyAdminRunsDoctorWithItsCachedSessionAndSkewIsMeasured() throws IOException {
        JsonNode ops = cli.createAgent("ops-bot", List.of("mayfly:admin"), List.of());
        Path home = cli.newHome("ops");
        cli.login(home, ops);
        JsonNode clock = byId(cli.in(home).run("doctor", "--no-canary", "--log-path", logs.toString()).data()).get("clock");
        assertThat(clock.get("status").asText()).isEqualTo("pass");
        assertThat(clock.at("/evidence/skew_ms").asLong()).isBetween(-1000L, 1000L);

        // This host's clock 45 s ahead of the broker's: beyond the 30 s leeway.
        Files.writeString(dir.resolve("now"), broker.clock().instant().plusSeconds(45).toString());
        try {
            CliResult skewed = cli.in(admin).run("doctor", "--no-canary", "--log-path", logs.toString());
            JsonNode env = skewed.envelope();
            assertThat(skewed.exit()).isEqualTo(4);
            JsonNode check = byId(env.get("data")).get("clock");
            assertThat(check.get("status").asText()).isEqualTo("fail");
            assertThat(check.at("/evidence/skew_ms").asLong()).isBetween(-46_000L, -44_000L);
            assertThat(env.at("/error/failed")).hasSize(1);
        } finally {
            cli.syncClock();
        }
    }
}
