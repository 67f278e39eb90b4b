package dev.mayfly.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.cli.context.CliContext;
import dev.mayfly.core.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every command of DESIGN §3.6 (this part) exists, has --help, and is described by 'mayfly schema'. */
class CommandTreeTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private PrintStream savedOut;
    private PrintStream savedErr;

    @BeforeEach
    void capture() {
        savedOut = System.out;
        savedErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(savedOut);
        System.setErr(savedErr);
    }

    private static int run(String... args) {
        return Main.run(new CliContext(Map.of(), Clock.systemUTC()), args);
    }

    private JsonNode schema() throws Exception {
        out.reset();
        assertThat(run("schema", "--json")).isZero();
        return Json.mapper().readTree(out.toString(StandardCharsets.UTF_8)).path("data");
    }

    private static void collect(JsonNode node, List<JsonNode> into) {
        into.add(node);
        node.path("subcommands").forEach(s -> collect(s, into));
    }

    @Test
    void theSchemaListsEveryCommandWithItsOutputAndExitCodes() throws Exception {
        JsonNode schema = schema();
        List<JsonNode> all = new ArrayList<>();
        collect(schema.path("command"), all);
        List<String> names = all.stream().map(n -> n.path("full_name").asText()).toList();
        assertThat(names).contains("mayfly auth login", "mayfly auth refresh", "mayfly auth status", "mayfly auth logout",
                "mayfly whoami", "mayfly token issue", "mayfly token inspect", "mayfly token revoke",
                "mayfly agent create", "mayfly agent list", "mayfly agent show", "mayfly agent disable",
                "mayfly http", "mayfly run", "mayfly exec", "mayfly conform", "mayfly revocations watch",
                "mayfly scan", "mayfly redact", "mayfly errors", "mayfly schema", "mayfly server", "mayfly completion");
        for (JsonNode c : all) {
            boolean leaf = c.path("subcommands").isEmpty() && !c.path("name").asText().equals("help");
            if (leaf) {
                assertThat(c.at("/output/data").isTextual()).as(c.path("full_name").asText() + " declares its output").isTrue();
            }
            assertThat(c.path("exit_codes").findValuesAsText("error_code")).as(c.path("full_name").asText())
                    .contains("USAGE", "INTERNAL");
        }
        JsonNode whoami = all.stream().filter(n -> n.path("full_name").asText().equals("mayfly whoami")).findFirst().orElseThrow();
        assertThat(whoami.path("exit_codes").findValuesAsText("exit_code"))
                .contains("0", "4", "8", "10", "11", "12");
        assertThat(schema.path("environment").findValuesAsText("name")).contains("MAYFLY_TOKEN", "MAYFLY_URL", "MAYFLY_HOME");
    }

    @Test
    void everyCommandAnswersHelp() throws Exception {
        List<JsonNode> all = new ArrayList<>();
        collect(schema().path("command"), all);
        for (JsonNode c : all) {
            List<String> args = new ArrayList<>(List.of(c.path("full_name").asText().split(" ")));
            args.remove(0);
            if (args.equals(List.of("help"))) {
                continue;
            }
            args.add("--help");
            assertThat(run(args.toArray(new String[0]))).as(String.join(" ", args)).isZero();
        }
    }

    @Test
    void aGroupWithoutItsSubcommandIsAUsageError() {
        assertThat(run("auth")).isEqualTo(2);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("\"code\":\"USAGE\"").contains("login");
    }

    @Test
    void secretsAreNotOptions() throws Exception {
        List<JsonNode> all = new ArrayList<>();
        collect(schema().path("command"), all);
        for (JsonNode c : all) {
            for (JsonNode o : c.path("options")) {
                for (JsonNode name : o.path("names")) {
                    assertThat(name.asText()).as("secrets come from env, files or stdin")
                            .doesNotMatch("--(client-secret|token|password|secret)");
                }
            }
        }
    }

    @Test
    void theVersionAloneBuildsNoCommandAndStillPrintsTheVersion() throws Exception {
        CliContext context = new CliContext(Map.of(), Clock.systemUTC());
        for (String[] args : List.of(new String[] {"--version"}, new String[] {"-V", "--json"})) {
            assertThat(MayflyCommand.commandLine(context, args).getSubcommands()).as(String.join(" ", args)).isEmpty();
        }
        // Anything more needs the tree: help lists the commands, a typo gets "did you mean".
        assertThat(MayflyCommand.commandLine(context, new String[] {"--version", "--help"}).getSubcommands()).containsKey("whoami");
        assertThat(MayflyCommand.commandLine(context, new String[] {"--verison"}).getSubcommands()).containsKey("whoami");

        out.reset();
        assertThat(run("--version", "--json")).isZero();
        JsonNode data = Json.mapper().readTree(out.toString(StandardCharsets.UTF_8)).path("data");
        assertThat(data.path("text").asText()).startsWith("mayfly ");
    }
}
