package dev.mayfly.cli.blackbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.core.json.Json;
import dev.mayfly.server.testing.BrokerExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code mayfly console}: the admin gets a one-time console link for the broker it talks to; others do not. */
class ConsoleIT {
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
    void theAdminGetsALinkThatSignsInOnce() throws Exception {
        CliResult r = cli.in(cli.adminHome()).run("console", "--no-open");
        JsonNode data = r.data();
        String url = data.get("url").asText();
        assertThat(url).startsWith(broker.client().base() + "/console/#code=mfy_rt_");
        assertThat(data.get("opened").asBoolean()).isFalse();
        assertThat(data.get("expires_at").asText()).isEqualTo(broker.clock().instant().plusSeconds(60).toString());
        assertThat(r.stderr()).doesNotContain(url.substring(url.indexOf("mfy_rt_")));

        String code = url.substring(url.indexOf("#code=") + "#code=".length());
        assertThat(login(code).statusCode()).isEqualTo(200);
        assertThat(login(code).statusCode()).as("the link works once").isEqualTo(401);
    }

    @Test
    void anAgentWithoutAdminIsDenied() {
        JsonNode agent = cli.createAgent("console-curious", List.of("orders:read"), List.of());
        Path home = cli.newHome("console-curious");
        cli.login(home, agent);
        cli.in(home).run("console", "--no-open").error("PERMISSION_DENIED", 8);
    }

    private static HttpResponse<String> login(String code) throws Exception {
        String base = broker.client().base();
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/console/api/login"))
                .header("Origin", base).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(Map.of("code", code)))).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
