package dev.mayfly.cli.blackbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.core.policy.ScopeRule;
import dev.mayfly.core.policy.Tier;
import dev.mayfly.core.policy.TtlPolicy;
import dev.mayfly.server.testing.BrokerExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mayfly policy show|check}, and doctor's policy lint, against a broker whose scope rules give
 * high-privilege scopes ten minutes: its rules name only {@code payments:*}, so {@code payments:admin}
 * and every {@code *:delete} fall to the standard tier.
 */
class PolicyIT {
    static final TtlPolicy LAX = TtlPolicy.builder().scopeRules(List.of(new ScopeRule("payments:*", Tier.STANDARD))).build();

    @RegisterExtension
    static final BrokerExtension broker = BrokerExtension.withPolicy(LAX);

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
    void doctorFailsTheLintOfAPolicyGivingAHighPrivilegeScopeTenMinutes() {
        cli.createAgent("payer", List.of("payments:admin", "payments:read"), List.of());
        CliResult run = cli.in(admin).run("doctor", "--no-canary");
        JsonNode env = run.envelope();
        assertThat(run.exit()).isEqualTo(4);
        assertThat(env.at("/error/code").asText()).isEqualTo("PRECONDITION");
        assertThat(env.at("/error/failed/0").asText()).isEqualTo("policy");
        JsonNode policy = null;
        for (JsonNode c : env.at("/data/checks")) {
            if (c.get("id").asText().equals("policy")) {
                policy = c;
            }
        }
        assertThat(policy.get("status").asText()).isEqualTo("fail");
        List<String> messages = new ArrayList<>();
        policy.at("/evidence/findings").forEach(f -> messages.add(f.get("rule").asText() + " " + f.get("message").asText()));
        assertThat(messages).contains("high-privilege-ttl scope payments:admin is high-privilege but gets tier standard and "
                + "lives 10m (at most 5m); add a [[scope]] rule mapping it to high or critical");
        assertThat(env.at("/data/failed").asInt()).isEqualTo(1);
    }

    @Test
    void policyShowPrintsTheBrokersEffectivePolicy() {
        JsonNode data = cli.in(admin).run("policy", "show").data();
        assertThat(data.get("source").asText()).isEqualTo(broker.issuer());
        assertThat(data.at("/policy/scope").findValuesAsText("pattern")).containsExactly("payments:*");
        assertThat(data.at("/policy/tiers/standard").asText()).isEqualTo("10m");
        assertThat(data.at("/policy/session_max").asText()).isEqualTo("30m");
    }

    @Test
    void policyCheckLintsFilesAndShowReadsThem() throws IOException {
        Path good = Files.writeString(dir.resolve("good.toml"), "[[scope]]\npattern = \"*:admin\"\ntier = \"critical\"\n\n"
                + "[[scope]]\npattern = \"*:delete\"\ntier = \"high\"\n\n[[scope]]\npattern = \"payments:*\"\ntier = \"high\"\n");
        JsonNode ok = cli.in(admin).run("policy", "check", good.toString()).data();
        assertThat(ok.get("valid").asBoolean()).isTrue();
        assertThat(ok.get("findings")).isEmpty();
        assertThat(ok.at("/policy/scope").findValuesAsText("pattern")).containsExactly("*:admin", "*:delete", "payments:*");
        JsonNode shown = cli.in(admin).run("policy", "show", "--file", good.toString()).data();
        assertThat(shown.get("source").asText()).isEqualTo(good.toString());
        assertThat(shown.at("/policy/tiers/high").asText()).isEqualTo("5m");

        Path tenMinutes = Files.writeString(dir.resolve("high10.toml"), "[tiers]\nhigh = \"10m\"\n");
        CliResult refused = cli.in(admin).run("policy", "check", tenMinutes.toString());
        JsonNode env = refused.envelope();
        assertThat(refused.exit()).isEqualTo(4);
        assertThat(env.at("/error/code").asText()).isEqualTo("PRECONDITION");
        assertThat(env.at("/data/valid").asBoolean()).isFalse();
        assertThat(env.at("/data/findings/0/rule").asText()).isEqualTo("invalid");
        assertThat(env.at("/data/findings/0/message").asText()).contains("tier high would live 10m");
        assertThat(env.at("/data/policy").isNull()).isTrue();

        Path longSessions = Files.writeString(dir.resolve("long.toml"), "session_max = \"8h\"\n");
        CliResult warned = cli.in(admin).run("policy", "check", longSessions.toString());
        assertThat(warned.data().get("valid").asBoolean()).isTrue();
        assertThat(warned.warnings().get(0).asText()).startsWith("long-session: sessions last 8h");

        cli.in(admin).run("policy", "check", dir.resolve("missing.toml").toString()).error("PRECONDITION", 4);
    }
}
