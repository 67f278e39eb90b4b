package dev.mayfly.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.OctetKeyPair;
import dev.mayfly.core.json.Json;
import dev.mayfly.server.Broker;
import dev.mayfly.server.BrokerConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lines bench/dpop.sh feeds to wrk, sent as its Lua script sends them to a real broker: each is accepted once,
 * bound where it carries a proof, and refused when replayed (so a run that ran out of lines shows errors).
 */
class PresignedTokenRequestsTest {
    @TempDir
    Path dir;

    @Test
    void everyKindOfLineIsAcceptedOnceByARealBroker() throws Exception {
        PresignedTokenRequests.writeKeys(dir.resolve("keys"));
        assertThat(Files.getPosixFilePermissions(dir.resolve("keys/dpop.jwk")))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        OctetKeyPair dpop = PresignedTokenRequests.readKey(dir.resolve("keys/dpop.jwk"));
        OctetKeyPair client = PresignedTokenRequests.readKey(dir.resolve("keys/client.jwk"));
        Path home = Files.createDirectory(dir.resolve("home"));
        try (Broker broker = Broker.start(BrokerConfig.builder().listen("127.0.0.1:0").home(home).env(Map.of()).build())) {
            String tokenUrl = broker.issuer() + "/oauth/token";
            HttpClient http = HttpClient.newHttpClient();
            JsonNode admin = Json.mapper().readTree(home.resolve("admin.json").toFile());
            String adminToken = AssertionLoginBench.post(http, tokenUrl, "grant_type=client_credentials&client_id="
                    + admin.get("client_id").asText() + "&client_secret=" + admin.get("client_secret").asText())
                    .get("access_token").asText();
            JsonNode secretAgent = AssertionLoginBench.agent(http, broker.issuer(), adminToken, Map.of("name", "bench-secret"));
            String keyBound = AssertionLoginBench.agent(http, broker.issuer(), adminToken, Map.of("name", "bench-key",
                    "public_key", Json.mapper().readValue(Files.readString(dir.resolve("keys/client.pub.jwk")), Map.class)))
                    .get("client_id").asText();
            String basic = "Basic " + java.util.Base64.getEncoder().encodeToString((secretAgent.get("client_id").asText()
                    + ":" + secretAgent.get("client_secret").asText()).getBytes());

            Path dpopFile = dir.resolve("dpop.lines");
            new PresignedTokenRequests(tokenUrl, Clock.systemUTC(), dpop, null, null).write(dpopFile, 3);
            Path jwtFile = dir.resolve("jwt.lines");
            new PresignedTokenRequests(tokenUrl, Clock.systemUTC(), null, keyBound, client).write(jwtFile, 3);
            Path bothFile = dir.resolve("both.lines");
            new PresignedTokenRequests(tokenUrl, Clock.systemUTC(), dpop, keyBound, client).write(bothFile, 3);

            List<String> proofs = Files.readAllLines(dpopFile);
            for (String line : proofs) {
                assertThat(send(http, tokenUrl, line, basic)).as(line).containsEntry(200, "DPoP");
            }
            List<String> assertions = Files.readAllLines(jwtFile);
            for (String line : assertions) {
                assertThat(send(http, tokenUrl, line, null)).as(line).containsEntry(200, "Bearer");
            }
            List<String> both = Files.readAllLines(bothFile);
            for (String line : both) {
                assertThat(send(http, tokenUrl, line, null)).as(line).containsEntry(200, "DPoP");
            }
            assertThat(both).doesNotHaveDuplicates();
            // Sent twice: the proof's jti is refused as replayed (400 invalid_dpop_proof), and the assertion's in
            // client authentication (401 invalid_client). With both, the proof is checked first (so that a
            // use_dpop_nonce answer leaves the assertion unspent): 400.
            assertThat(send(http, tokenUrl, proofs.get(0), basic)).as("a proof sent twice").containsKey(400);
            assertThat(send(http, tokenUrl, assertions.get(0), null)).as("an assertion sent twice").containsKey(401);
            assertThat(send(http, tokenUrl, both.get(0), null)).as("proof and assertion sent twice").containsKey(400);
        }
    }

    /** The line as bench/wrk/presigned-post.lua sends it; the answer's status and token_type. */
    private static Map<Integer, String> send(HttpClient http, String tokenUrl, String line, String basic) throws Exception {
        int tab = line.indexOf('\t');
        String proof = line.substring(0, tab);
        String body = line.substring(tab + 1);
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(tokenUrl))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body.isEmpty() ? "grant_type=client_credentials" : body));
        if (!proof.isEmpty()) {
            req.header("DPoP", proof);
        }
        if (basic != null) {
            req.header("Authorization", basic);
        }
        HttpResponse<String> r = http.send(req.build(), HttpResponse.BodyHandlers.ofString());
        return Map.of(r.statusCode(), Json.mapper().readTree(r.body()).path("token_type").asText("-"));
    }
}
