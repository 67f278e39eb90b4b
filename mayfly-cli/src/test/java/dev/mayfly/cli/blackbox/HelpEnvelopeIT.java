package dev.mayfly.cli.blackbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.server.testing.BrokerExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --help} and {@code --version} print the envelope when stdout is not a terminal or with {@code --json},
 * and human text on a terminal (a pseudo-terminal from util-linux {@code script}).
 */
class HelpEnvelopeIT {
    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    @TempDir
    static Path dir;

    static Cli cli;

    @BeforeAll
    static void setUp() {
        cli = new Cli(broker, dir);
    }

    @Test
    void helpThroughAPipeIsAnEnvelopeForEveryLevel() {
        for (List<String> argv : List.of(List.of("--help"), List.of("whoami", "--help"), List.of("agent", "-h"),
                List.of("agent", "list", "--help"), List.of("completion", "--help"))) {
            CliResult r = cli.in(cli.newHome("help")).run(argv.toArray(new String[0]));
            JsonNode data = r.data();
            String command = "mayfly" + (argv.size() > 1 ? " " + String.join(" ", argv.subList(0, argv.size() - 1)) : "");
            assertThat(data.get("command").asText()).isEqualTo(command);
            assertThat(data.get("usage").asText()).startsWith("Usage: " + command).doesNotContain("\u001b[");
        }
        JsonNode root = cli.in(cli.newHome("help")).run("--help").data();
        assertThat(root.get("subcommands")).extracting(JsonNode::asText).contains("whoami", "completion", "server");
    }

    @Test
    void theHelpCommandThroughAPipeIsTheSameEnvelopeAsHelpFlags() {
        for (String command : List.of("whoami", "agent")) {
            JsonNode viaCommand = cli.in(cli.newHome("help-cmd")).run("help", command).data();
            JsonNode viaFlag = cli.in(cli.newHome("help-cmd")).run(command, "--help").data();
            assertThat(viaCommand).as("mayfly help " + command).isEqualTo(viaFlag);
        }
        assertThat(cli.in(cli.newHome("help-cmd")).run("help").data().get("command").asText()).isEqualTo("mayfly");
        cli.in(cli.newHome("help-cmd")).run("help", "no-such-command").error("USAGE", 2);
    }

    @Test
    void versionThroughAPipeIsAnEnvelope() {
        for (String flag : List.of("--version", "-V")) {
            JsonNode data = cli.in(cli.newHome("version")).run(flag).data();
            assertThat(data.get("version").asText()).isNotBlank().doesNotContain(" ");
            assertThat(data.get("text").asText()).isEqualTo("mayfly " + data.get("version").asText());
        }
        assertThat(cli.in(cli.newHome("version")).run("whoami", "--version").data().get("text").asText())
                .startsWith("mayfly ");
    }

    @Test
    void onATerminalHelpIsTextUnlessJsonIsGiven() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")), "util-linux script is not installed");
        String version = onATerminal("--version");
        assertThat(version.strip()).startsWith("mayfly ").doesNotContain("{");
        assertThat(onATerminal("whoami", "--help")).contains("Usage:").contains("--url").doesNotContain("\"ok\"");
        assertThat(onATerminal("--version", "--json")).contains("\"ok\":true", "\"version\"");
        assertThat(onATerminal("whoami", "--help", "--json")).contains("\"ok\":true", "\"usage\"");
    }

    /** The launcher's output with stdin and stdout on a pseudo-terminal. */
    private static String onATerminal(String... args) throws IOException {
        Cli.Invocation inv = cli.in(cli.newHome("tty"));
        StringBuilder command = new StringBuilder("'" + Cli.LAUNCHER + "'");
        for (String a : args) {
            command.append(' ').append(a);
        }
        ProcessBuilder pb = new ProcessBuilder("/usr/bin/script", "-qec", command.toString(), "/dev/null");
        pb.environment().clear();
        pb.environment().putAll(inv.environment());
        pb.environment().put("TERM", "dumb");
        CliResult r = Cli.finish(pb.start(), "");
        assertThat(r.exit()).as(r.stderr()).isZero();
        return r.stdout();
    }
}
