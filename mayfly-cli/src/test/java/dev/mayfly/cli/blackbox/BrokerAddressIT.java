package dev.mayfly.cli.blackbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.server.testing.BrokerExtension;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A broker address the CLI cannot use is said as such: a URL without a scheme is USAGE (exit 2), a broker
 * nobody answers at is UNAVAILABLE (exit 12), never "Not logged in"; a busy port at {@code server} start is
 * named at once with the option that moves it.
 */
class BrokerAddressIT {
    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    @TempDir
    static Path dir;

    static Cli cli;

    @BeforeAll
    static void setUp() {
        cli = new Cli(broker, dir);
    }

    /** Every command that takes --url, with the arguments it needs to get as far as using it. */
    static final List<List<String>> URL_COMMANDS = List.of(
            List.of("whoami"), List.of("auth", "login"), List.of("auth", "refresh"), List.of("auth", "status"),
            List.of("auth", "logout"), List.of("token", "issue", "--scope", "orders:read"),
            List.of("token", "revoke", "--session", "ses_x"), List.of("agent", "list"), List.of("audit"), List.of("keys", "list"),
            List.of("doctor"), List.of("http", "GET", "https://orders.example/x"),
            List.of("exec", "--scope", "orders:read", "--", "true"));

    private static String[] with(List<String> command, String... extra) {
        List<String> argv = new ArrayList<>();
        // Options go before 'exec''s '--' (after it they would be the child's arguments).
        int dashes = command.indexOf("--");
        argv.addAll(dashes < 0 ? command : command.subList(0, dashes));
        argv.addAll(List.of(extra));
        if (dashes >= 0) {
            argv.addAll(command.subList(dashes, command.size()));
        }
        return argv.toArray(new String[0]);
    }

    @Test
    void aUrlWithoutSchemeIsUsageForEveryCommandThatTakesOne() {
        Path home = cli.newHome("no-scheme");
        for (List<String> command : URL_COMMANDS) {
            CliResult r = cli.in(home).env("MAYFLY_CLIENT_ID", "x").env("MAYFLY_CLIENT_SECRET", "y")
                    .run(with(command, "--url", "localhost:8470"));
            JsonNode e = r.error("USAGE", 2);
            assertThat(e.get("message").asText()).as("%s", command)
                    .contains("'localhost:8470'", "--url", "http://localhost:8470")
                    .doesNotContain("Not logged in");
            assertThat(r.stderr()).doesNotContain("Exception", "\tat ");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"broker.example", "ftp://broker.example", "http://"})
    void aMalformedMayflyUrlIsUsageNamingTheVariable(String url) {
        CliResult r = cli.in(cli.newHome("bad-env")).env("MAYFLY_URL", url).run("whoami");
        assertThat(r.error("USAGE", 2).get("message").asText()).contains("$MAYFLY_URL", url);
    }

    @Test
    void anUnreachableBrokerIsUnavailableNotNotLoggedIn() throws Exception {
        String closed = "http://127.0.0.1:" + closedPort();
        Path home = cli.newHome("unreachable");
        for (List<String> command : List.of(List.of("whoami"), List.of("auth", "refresh"),
                List.of("token", "issue", "--scope", "orders:read"),
                List.of("exec", "--scope", "orders:read", "--", "true"),
                List.of("auth", "login"))) {
            CliResult r = cli.in(home).env("MAYFLY_CLIENT_ID", "x").env("MAYFLY_CLIENT_SECRET", "y")
                    .run(with(command, "--url", closed));
            JsonNode e = r.error("UNAVAILABLE", 12);
            assertThat(e.get("message").asText()).as("%s", command).contains("127.0.0.1").doesNotContain("Not logged in");
            assertThat(e.get("retryable").asBoolean()).isTrue();
        }
    }

    @Test
    void authStatusStaysLocalEvenWhenTheBrokerIsUnreachable() throws Exception {
        JsonNode data = cli.in(cli.newHome("status-offline")).run("auth", "status", "--url",
                "http://127.0.0.1:" + closedPort()).data();
        assertThat(data.get("logged_in").asBoolean()).isFalse();
    }

    @Test
    void aReachableBrokerWithoutASessionIsStillNotLoggedIn() {
        cli.in(cli.newHome("reachable")).run("whoami").error("CREDENTIALS_MISSING", 4);
    }

    @Test
    void aBusyPortAtServerStartIsNamedAtOnceWithTheListenOption() throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int port = busy.getLocalPort();
            CliResult r = cli.in(cli.newHome("busy")).run("server", "--listen", "127.0.0.1:" + port,
                    "--home", dir.resolve("busy-home").toString());
            JsonNode e = r.error("PRECONDITION", 4);
            assertThat(e.get("message").asText()).contains(String.valueOf(port), "already in use", "--listen");
            assertThat(r.stderr()).doesNotContain("Exception", "\tat ", "signing key");
        }
    }

    private static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
