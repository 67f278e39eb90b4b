package dev.mayfly.cli.blackbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mayfly.server.testing.BrokerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mayfly auth login --dpop} from the built jar against a real broker: the key lives only in the 0600
 * credential cache, and every command that presents the bound tokens ({@code whoami}, {@code http},
 * {@code token issue}, {@code auth refresh}) proves it; the same token as Bearer is refused by the broker.
 */
class DpopIT {
    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    @TempDir
    static Path dir;

    static Cli cli;
    static JsonNode agent;

    @BeforeAll
    static void setUp() {
        cli = new Cli(broker, dir);
        agent = cli.createAgent("dpop-agent", List.of("orders:read", "orders:write"), List.of());
    }

    private static CliResult login(Path home) {
        return cli.in(home).env("MAYFLY_CLIENT_ID", agent.get("client_id").asText())
                .env("MAYFLY_CLIENT_SECRET", agent.get("client_secret").asText())
                .run("auth", "login", "--dpop");
    }

    @Test
    void aBoundSessionWorksThroughTheCliAndItsKeyStaysInTheCache() throws Exception {
        Path home = cli.newHome("bound");
        CliResult login = login(home);
        JsonNode data = login.data();
        login.assertNoSecrets();
        assertThat(data.get("token_type").asText()).isEqualTo("DPoP");
        String jkt = data.get("dpop_jkt").asText();
        assertThat(jkt).hasSize(43);

        Path cache = home.resolve("credentials.json");
        assertThat(Files.getPosixFilePermissions(cache))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        JsonNode stored = new ObjectMapper().readTree(cache.toFile()).get("sessions").elements().next();
        String privateD = new ObjectMapper().readTree(stored.get("dpop_key").asText()).get("d").asText();
        assertThat(login.stdout() + login.stderr()).doesNotContain(privateD);

        // /v1 through the SDK's V1Api, and mayfly http: both present the token as DPoP with a proof.
        assertThat(cli.in(home).run("whoami").data().get("agent_id").asText()).isEqualTo(agent.get("agent_id").asText());
        CliResult http = cli.in(home).run("http", "GET", broker.issuer() + "/v1/whoami");
        assertThat(http.data().get("status").asInt()).as(http.stdout()).isEqualTo(200);
        assertThat(http.stdout() + http.stderr()).doesNotContain(privateD);

        // The cached token copied out and used as Bearer is refused.
        String access = stored.get("access_token").asText();
        var asBearer = broker.client().get("/v1/whoami", access);
        assertThat(asBearer.status()).isEqualTo(401);
        assertThat(asBearer.header("WWW-Authenticate")).startsWith("DPoP ");

        // A task token from the bound session is bound too; mayfly http finds its key by cnf.jkt.
        JsonNode task = cli.in(home).run("token", "issue", "--scope", "orders:read").data();
        assertThat(task.get("token_type").asText()).isEqualTo("DPoP");
        CliResult withTask = cli.in(home).env("MAYFLY_TOKEN", task.get("access_token").asText())
                .run("http", "GET", broker.issuer() + "/v1/whoami");
        assertThat(withTask.data().at("/body/data/task_id").asText()).isEqualTo(task.get("task_id").asText());

        // The bound refresh token rotates with the key's proof.
        JsonNode refreshed = cli.in(home).run("auth", "refresh").data();
        assertThat(refreshed.get("session_id").asText()).isEqualTo(data.get("session_id").asText());
        assertThat(cli.in(home).run("whoami").data().get("agent_id").asText()).isEqualTo(agent.get("agent_id").asText());
    }

    @Test
    void aLeakedBoundTokenIsRevokedAndTheScanReportSaysItWasBound() throws Exception {
        Path home = cli.newHome("leaky");
        login(home).data();
        String bound = cli.in(home).run("token", "issue", "--scope", "orders:read").data().get("access_token").asText();
        String bearer = broker.client().login(agent.get("client_id").asText(), agent.get("client_secret").asText()).body()
                .get("access_token").asText();
        Path log = Files.writeString(dir.resolve("leak.jsonl"), "{\"msg\":\"bound\",\"access_token\":\"" + bound + "\"}\n"
                + "{\"msg\":\"bearer\",\"access_token\":\"" + bearer + "\"}\n");

        CliResult scan = cli.in(cli.newHome("scanner")).run("scan", log.toString(), "--revoke");
        scan.assertNoSecrets();
        assertThat(scan.stdout() + scan.stderr()).doesNotContain(bound, bearer);
        JsonNode results = scan.failureWithData("CONFLICT", 6).at("/data/revocation/results");
        assertThat(results.findValuesAsText("status")).containsExactly("revoked", "revoked");
        assertThat(results.findValues("dpop_bound")).extracting(JsonNode::asBoolean).containsExactly(true, false);
        assertThat(scan.stderr()).contains("mayfly: revoke: revoked [DPoP-bound]  ", "mayfly: revoke: revoked [not DPoP-bound]  ");

        // Revoked although a copy without the key is useless: the key may be the next thing to leak.
        cli.in(home).env("MAYFLY_TOKEN", bound).run("whoami").error("CREDENTIALS_REVOKED", 11);
    }

    @Test
    void aLoginWithoutDpopAfterABoundOneIsBearerAgain() throws Exception {
        Path home = cli.newHome("switch");
        login(home).data();
        JsonNode plain = cli.in(home).env("MAYFLY_CLIENT_ID", agent.get("client_id").asText())
                .env("MAYFLY_CLIENT_SECRET", agent.get("client_secret").asText()).run("auth", "login").data();
        assertThat(plain.has("dpop_jkt")).isFalse();
        JsonNode stored = new ObjectMapper().readTree(home.resolve("credentials.json").toFile()).get("sessions")
                .elements().next();
        assertThat(stored.has("dpop_key")).isFalse();
        assertThat(broker.client().get("/v1/whoami", stored.get("access_token").asText()).status()).isEqualTo(200);
    }
}
