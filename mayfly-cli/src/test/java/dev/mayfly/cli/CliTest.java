package dev.mayfly.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command's contract: one envelope on stdout when not on a terminal, exit codes from the catalog. */
class CliTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream savedOut;
    private PrintStream savedErr;

    @TempDir
    Path dir;

    @BeforeEach
    void capture() {
        savedOut = System.out;
        savedErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(savedOut);
        System.setErr(savedErr);
    }

    private JsonNode envelope() throws Exception {
        String stdout = out.toString(StandardCharsets.UTF_8).trim();
        assertThat(stdout.lines()).as("exactly one envelope on stdout").hasSize(1);
        JsonNode env = Json.mapper().readTree(stdout);
        assertThat(env.fieldNames()).toIterable().containsExactly("ok", "data", "error", "warnings", "meta");
        return env;
    }

    @Test
    void errorsPrintsTheWholeCatalogAsData() throws Exception {
        assertThat(Main.run("errors", "--json")).isZero();
        JsonNode env = envelope();
        assertThat(env.get("ok").asBoolean()).isTrue();
        assertThat(env.at("/data/errors")).hasSize(ErrorCode.values().length);
        assertThat(env.at("/data/errors/0/code").asText()).isEqualTo("CREDENTIALS_EXPIRED");
        assertThat(env.at("/data/errors/0/exit_code").asInt()).isEqualTo(10);
    }

    @Test
    void unknownOptionIsUsageExitTwo() throws Exception {
        assertThat(Main.run("server", "--no-such-option")).isEqualTo(2);
        JsonNode env = envelope();
        assertThat(env.get("ok").asBoolean()).isFalse();
        assertThat(env.at("/error/code").asText()).isEqualTo("USAGE");
        assertThat(env.at("/error/message").asText()).contains("--no-such-option").contains("mayfly server --help");
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("USAGE");
    }

    @Test
    void aPolicyThatLetsCriticalTokensLiveTooLongIsRefusedAtStart() throws Exception {
        Path policy = dir.resolve("policy.toml");
        Files.writeString(policy, "[tiers]\ncritical = \"10m\"\n");
        int code = Main.run("server", "--policy", policy.toString(), "--home", dir.resolve("home").toString(),
                "--listen", "127.0.0.1:0");
        assertThat(code).isEqualTo(4);
        JsonNode env = envelope();
        assertThat(env.at("/error/code").asText()).isEqualTo("PRECONDITION");
        assertThat(env.at("/error/message").asText()).contains("critical").contains("5m");
    }

    @Test
    void aBusyPortIsAPreconditionNotAStackTrace() throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            int code = Main.run("server", "--home", dir.resolve("home").toString(),
                    "--listen", "127.0.0.1:" + busy.getLocalPort());
            assertThat(code).isEqualTo(4);
            JsonNode env = envelope();
            assertThat(env.at("/error/code").asText()).isEqualTo("PRECONDITION");
            assertThat(env.at("/error/message").asText()).contains("Cannot listen");
            assertThat(err.toString(StandardCharsets.UTF_8)).doesNotContain("\tat ");
        }
    }

    @Test
    void helpIsAvailableOnEveryCommand() {
        assertThat(Main.run("--help")).isZero();
        assertThat(Main.run("server", "--help")).isZero();
        assertThat(Main.run("errors", "--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--listen").contains("--policy").contains("--home");
    }
}
