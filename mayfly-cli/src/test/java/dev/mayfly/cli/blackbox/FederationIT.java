package dev.mayfly.cli.blackbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator;
import dev.mayfly.server.testing.BrokerExtension;
import dev.mayfly.server.testing.OidcIssuerStandIn;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Logging in without a client secret from the command line: agents registered with {@code --federated-issuer}/
 * {@code --federated-claim} or {@code --public-key}, and {@code auth login --assertion-file}, {@code --federated}
 * (a token file, GitHub Actions' token service) and {@code --private-key}, against a real external issuer stand-in.
 */
class FederationIT {
    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    @TempDir
    static Path dir;

    static Cli cli;
    static Path admin;
    static OidcIssuerStandIn issuer;

    @BeforeAll
    static void setUp() {
        cli = new Cli(broker, dir);
        admin = cli.adminHome();
        issuer = new OidcIssuerStandIn();
    }

    @AfterAll
    static void tearDown() {
        issuer.close();
    }

    static JsonNode createFederated(String name, String... rules) {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("agent", "create", name,
                "--scope", "repo:read", "--federated-issuer", issuer.url()));
        for (String r : rules) {
            args.add("--federated-claim");
            args.add(r);
        }
        CliResult created = cli.in(admin).run(args.toArray(String[]::new));
        JsonNode data = created.data();
        assertThat(data.get("client_secret").isNull()).as("no secret zero").isTrue();
        assertThat(created.stdout()).doesNotContain("mfy_cs_");
        return data;
    }

    static Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
        return p;
    }

    @Test
    void aKubernetesTokenFileLogsInAndItsReplayIsRefused() throws Exception {
        JsonNode agent = createFederated("k8s-cli", "namespace=agents", "serviceaccount=summariser");
        JsonNode shown = cli.in(admin).run("agent", "show", agent.get("agent_id").asText()).data();
        assertThat(shown.at("/federated/issuer").asText()).isEqualTo(issuer.url());
        assertThat(shown.at("/federated/claims/serviceaccount").asText()).isEqualTo("summariser");

        Path token = write("sa-token", issuer.kubernetesToken("agents", "summariser", broker.issuer(),
                broker.clock().instant(), Duration.ofMinutes(10)));
        Path home = cli.newHome("k8s-cli");
        CliResult login = cli.in(home).env("MAYFLY_CLIENT_ID", agent.get("client_id").asText())
                .run("auth", "login", "--assertion-file", token.toString());
        assertThat(login.data().get("agent_id").asText()).isEqualTo(agent.get("agent_id").asText());
        assertThat(login.stdout() + login.stderr()).doesNotContain(Files.readString(token));
        assertThat(cli.in(home).run("whoami").data().get("client_id").asText()).isEqualTo(agent.get("client_id").asText());

        JsonNode replay = cli.in(cli.newHome("k8s-cli-2")).env("MAYFLY_CLIENT_ID", agent.get("client_id").asText())
                .env("MAYFLY_ASSERTION_FILE", token.toString()).run("auth", "login", "--federated")
                .error("CREDENTIALS_INVALID", 11);
        assertThat(replay.get("message").asText()).contains("replayed");
    }

    @Test
    void federatedInGitHubActionsAsksTheTokenServiceForTheBrokerAudience() {
        JsonNode agent = createFederated("ci-cli", "repository=acme/shop", "ref=refs/heads/main");
        String requestUrl = issuer.serveActionsTokens("acme/shop", "refs/heads/main", "gha-request-token",
                () -> broker.clock().instant());
        CliResult login = cli.in(cli.newHome("ci-cli")).env("MAYFLY_CLIENT_ID", agent.get("client_id").asText())
                .env("ACTIONS_ID_TOKEN_REQUEST_URL", requestUrl).env("ACTIONS_ID_TOKEN_REQUEST_TOKEN", "gha-request-token")
                .run("auth", "login", "--federated");
        assertThat(login.data().get("agent_id").asText()).isEqualTo(agent.get("agent_id").asText());
        // A pull-request run of the same repository does not match ref=refs/heads/main.
        issuer.serveActionsTokens("acme/shop", "refs/pull/9/merge", "gha-request-token", () -> broker.clock().instant());
        JsonNode refused = cli.in(cli.newHome("ci-cli-pr")).env("MAYFLY_CLIENT_ID", agent.get("client_id").asText())
                .env("ACTIONS_ID_TOKEN_REQUEST_URL", requestUrl).env("ACTIONS_ID_TOKEN_REQUEST_TOKEN", "gha-request-token")
                .run("auth", "login", "--federated").error("CREDENTIALS_INVALID", 11);
        assertThat(refused.get("message").asText()).contains("claim rule ref");
    }

    @Test
    void federatedWithNoWorkloadTokenSaysWhereItLooked() {
        JsonNode error = cli.in(cli.newHome("nowhere")).env("MAYFLY_CLIENT_ID", "cid_x")
                .env("ACTIONS_ID_TOKEN_REQUEST_URL", "").env("ACTIONS_ID_TOKEN_REQUEST_TOKEN", "")
                .run("auth", "login", "--federated").error("PRECONDITION", 4);
        assertThat(error.get("message").asText()).contains("MAYFLY_ASSERTION_FILE", "id-token: write");
    }

    @Test
    void keyBoundAgentsLogInWithTheirPrivateKey() throws Exception {
        OctetKeyPair ed = new OctetKeyPairGenerator(Curve.Ed25519).keyID("cli-ed").generate();
        Path edPublic = write("ed.pub.jwk", ed.toPublicJWK().toJSONString());
        JsonNode edAgent = cli.in(admin).run("agent", "create", "ed-cli", "--scope", "repo:read",
                "--public-key", edPublic.toString()).data();
        assertThat(edAgent.at("/public_key/kid").asText()).isEqualTo("cli-ed");
        Path edPrivate = write("ed.jwk", ed.toJSONString());
        cli.in(cli.newHome("ed-cli")).env("MAYFLY_CLIENT_ID", edAgent.get("client_id").asText())
                .run("auth", "login", "--private-key", edPrivate.toString()).data();

        // EC P-256, both halves as PEM, and the key added to an existing agent with `agent update`.
        ECKey ec = new ECKeyGenerator(Curve.P_256).generate();
        Path ecPublic = write("ec.pub.pem", pem("PUBLIC KEY", ec.toECPublicKey().getEncoded()));
        Path ecPrivate = write("ec.pem", pem("PRIVATE KEY", ec.toECPrivateKey().getEncoded()));
        JsonNode plain = cli.createAgent("ec-cli", java.util.List.of("repo:read"), java.util.List.of());
        JsonNode updated = cli.in(admin).run("agent", "update", plain.get("agent_id").asText(),
                "--public-key", ecPublic.toString()).data();
        assertThat(updated.at("/public_key/crv").asText()).isEqualTo("P-256");
        cli.in(cli.newHome("ec-cli")).env("MAYFLY_CLIENT_ID", plain.get("client_id").asText())
                .run("auth", "login", "--private-key", ecPrivate.toString()).data();
        // The wrong agent's key is refused: its signature does not verify against this agent's key.
        JsonNode wrong = cli.in(cli.newHome("ec-cli-wrong")).env("MAYFLY_CLIENT_ID", plain.get("client_id").asText())
                .run("auth", "login", "--private-key", edPrivate.toString()).error("CREDENTIALS_INVALID", 11);
        assertThat(wrong.get("message").asText()).contains("Client assertion refused");

        JsonNode removed = cli.in(admin).run("agent", "update", plain.get("agent_id").asText(), "--no-public-key").data();
        assertThat(removed.get("public_key").isNull()).isTrue();
        cli.in(admin).run("agent", "update", edAgent.get("agent_id").asText(), "--no-public-key").error("USAGE", 2);
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder().encodeToString(der) + "\n-----END " + type + "-----\n";
    }
}
