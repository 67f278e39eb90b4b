package dev.mayfly.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyException;
import dev.mayfly.core.json.Json;
import dev.mayfly.core.secret.Secret;
import dev.mayfly.server.leak.LeakReporterKeys;
import dev.mayfly.server.testing.BrokerClient;
import dev.mayfly.server.testing.BrokerExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * GitHub secret-scanning partner reports, signed as GitHub signs them (ECDSA P-256 SHA-256 over the raw
 * body, key named by {@code Github-Public-Key-Identifier}), against a broker given GitHub's key file.
 */
class LeakSignatureTest {
    static final KeyPair GITHUB = p256();
    static final KeyPair OLD_GITHUB = p256();
    static final KeyPair STRANGER = p256();
    static final Path KEYS = keysFile(Map.of("gh-current", GITHUB, "gh-old", OLD_GITHUB));

    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension(b -> b.leakReporterKeys(KEYS));

    private final HttpClient http = HttpClient.newHttpClient();
    private BrokerClient client;
    private JsonNode agent;

    @BeforeEach
    void agent() {
        broker.clock().advance(Duration.ofSeconds(10)); // refills the per-address report budget
        client = broker.client();
        agent = client.createAgent(client.adminToken(broker.adminCredentials()), "leaky-" + System.nanoTime(), "llm",
                List.of("x:read"), List.of());
    }

    @Test
    void aSignedGitHubReportRevokesAndIsAnsweredInGitHubsShape() throws Exception {
        JsonNode s = login();
        String refresh = s.get("refresh_token").asText();
        byte[] body = githubPayload(refresh, "ghp_notours");
        HttpResponse<String> r = post(body, "gh-current", sign(GITHUB, body));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode answer = Json.mapper().readTree(r.body());
        assertThat(answer.isArray()).isTrue();
        assertThat(answer.get(0).get("token_hash").asText()).isEqualTo(Secret.sha256Hex(refresh));
        assertThat(answer.get(0).get("token_type").asText()).isEqualTo("mayfly_refresh_token");
        assertThat(answer.get(0).get("label").asText()).isEqualTo("true_positive");
        assertThat(answer.get(1).get("label").asText()).isEqualTo("false_positive");
        assertThat(r.body()).doesNotContain(refresh);
        assertThat(client.refresh(refresh).body().get("code").asText()).isEqualTo("CREDENTIALS_REVOKED");

        // A key GitHub is rotating away from still verifies while it is in the file.
        JsonNode s2 = login();
        byte[] again = githubPayload(s2.get("refresh_token").asText());
        assertThat(post(again, "gh-old", sign(OLD_GITHUB, again)).statusCode()).isEqualTo(200);
    }

    @Test
    void unsignedForgedOrTamperedReportsAreRefusedAuditedAndRevokeNothing() throws Exception {
        JsonNode s = login();
        String refresh = s.get("refresh_token").asText();
        byte[] body = githubPayload(refresh);
        byte[] tampered = new String(body, StandardCharsets.UTF_8).replace("content", "contenT").getBytes(StandardCharsets.UTF_8);

        expectRefused(post(body, null, null), "headers are required");
        expectRefused(post(body, "gh-current", null), "headers are required");
        expectRefused(post(body, "gh-unknown", sign(GITHUB, body)), "does not know");
        expectRefused(post(body, "gh-current", sign(STRANGER, body)), "does not verify");
        expectRefused(post(tampered, "gh-current", sign(GITHUB, body)), "does not verify");
        expectRefused(post(body, "gh-current", "not base64!"), "not base64");
        expectRefused(post(body, "gh-current", Base64.getEncoder().encodeToString(new byte[] {1, 2, 3})), "does not verify");
        // Mayfly's own form with GitHub's headers is checked too (a signature that is there must verify).
        byte[] mayflyForm = Json.writeBytes(Map.of("tokens", List.of(refresh)));
        expectRefused(post(mayflyForm, "gh-current", sign(GITHUB, body)), "does not verify");

        assertThat(client.refresh(refresh).status()).as("the session lives on").isEqualTo(200);
        String audit = client.get("/v1/audit?event=request.denied&limit=1000", client.adminToken(broker.adminCredentials())).raw();
        assertThat(audit).contains("/v1/leaks").contains("CREDENTIALS_INVALID").doesNotContain(refresh);
    }

    @Test
    void mayflysOwnFormNeedsNoSignature() {
        String secret = agent.get("client_secret").asText();
        BrokerClient.Response r = client.postJson("/v1/leaks", null, Map.of("tokens", List.of(secret)));
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        assertThat(r.body().at("/data/results/0/status").asText()).isEqualTo("revoked");
    }

    @Test
    void theKeysFileIsReadAgainWhenItChangesAndABadVersionKeepsTheOldKeys() throws Exception {
        Path file = Files.createTempFile("gh-keys", ".json");
        Files.write(file, Files.readAllBytes(KEYS));
        LeakReporterKeys keys = LeakReporterKeys.load(file);
        assertThat(keys.keyIds()).containsExactlyInAnyOrder("gh-current", "gh-old");

        Files.write(file, Files.readAllBytes(keysFile(Map.of("gh-next", STRANGER))));
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
        assertThat(keys.keyIds()).containsExactly("gh-next");
        byte[] body = "[]".getBytes(StandardCharsets.UTF_8);
        keys.verify(body, "gh-next", sign(STRANGER, body));

        Files.writeString(file, "{\"public_keys\": [{\"key_identifier\": \"x\", \"key\": \"garbage\"}]}");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(10)));
        assertThat(keys.keyIds()).containsExactly("gh-next");
    }

    @Test
    void badKeyFilesAreCleanErrorsAtStart() throws IOException {
        Path dir = Files.createTempDirectory("gh-bad");
        expectLoadError(dir.resolve("missing.json"), ErrorCode.NOT_FOUND, "does not exist");
        expectLoadError(Files.writeString(dir.resolve("a.json"), "not json"), ErrorCode.USAGE, "not valid JSON");
        expectLoadError(Files.writeString(dir.resolve("b.json"), "{\"keys\": []}"), ErrorCode.USAGE, "public_keys");
        expectLoadError(Files.writeString(dir.resolve("c.json"),
                "{\"public_keys\": [{\"key_identifier\": \"k\", \"key\": \"-----BEGIN PUBLIC KEY-----\\nAAAA\\n-----END PUBLIC KEY-----\"}]}"),
                ErrorCode.USAGE, "not a PEM EC public key");
        assertThatThrownBy(() -> Broker.start(BrokerConfig.builder().listen("127.0.0.1:0").home(dir.resolve("home"))
                .env(Map.of()).leakReporterKeys(dir.resolve("missing.json")).build()))
                .isInstanceOfSatisfying(MayflyException.class, e -> assertThat(e.error().code()).isEqualTo(ErrorCode.NOT_FOUND));
        assertThat(dir.resolve("home")).as("nothing created before the keys were read").doesNotExist();
    }

    private static void expectLoadError(Path file, ErrorCode code, String message) {
        assertThatThrownBy(() -> LeakReporterKeys.load(file))
                .isInstanceOfSatisfying(MayflyException.class, e -> assertThat(e.error().code()).isEqualTo(code))
                .hasMessageContaining(message);
    }

    private void expectRefused(HttpResponse<String> r, String message) throws IOException {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(401);
        JsonNode env = Json.mapper().readTree(r.body());
        assertThat(env.at("/error/code").asText()).isEqualTo("CREDENTIALS_INVALID");
        assertThat(env.at("/error/message").asText()).contains(message);
        broker.clock().advance(Duration.ofSeconds(1)); // stay inside the report rate limit
    }

    private JsonNode login() {
        return client.login(agent.get("client_id").asText(), agent.get("client_secret").asText()).body();
    }

    private static byte[] githubPayload(String... tokens) {
        List<Map<String, String>> items = new java.util.ArrayList<>();
        for (String t : tokens) {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("token", t);
            m.put("type", t.startsWith("mfy_") ? "mayfly_refresh_token" : "github_token");
            m.put("url", "https://github.com/org/repo/blob/abc/log.txt");
            m.put("source", "content");
            items.add(m);
        }
        // Pretty-printed with spaces: the signature covers these exact bytes, not a re-serialisation.
        try {
            return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(items).getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private HttpResponse<String> post(byte[] body, String keyId, String signature) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(broker.issuer() + "/v1/leaks"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .timeout(Duration.ofSeconds(10));
        if (keyId != null) {
            b.header(LeakReporterKeys.KEY_ID_HEADER, keyId);
        }
        if (signature != null) {
            b.header(LeakReporterKeys.SIGNATURE_HEADER, signature);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String sign(KeyPair key, byte[] body) {
        try {
            Signature s = Signature.getInstance("SHA256withECDSA");
            s.initSign(key.getPrivate());
            s.update(body);
            return Base64.getEncoder().encodeToString(s.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair p256() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The file as GitHub serves it at /meta/public_keys/secret_scanning. */
    private static Path keysFile(Map<String, KeyPair> keys) {
        List<Map<String, Object>> list = new java.util.ArrayList<>();
        keys.forEach((id, kp) -> list.add(Map.of("key_identifier", id, "is_current", id.equals("gh-current"),
                "key", "-----BEGIN PUBLIC KEY-----\n"
                        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(kp.getPublic().getEncoded())
                        + "\n-----END PUBLIC KEY-----\n")));
        try {
            Path p = Files.createTempFile("gh-keys", ".json");
            Files.write(p, Json.writeBytes(Map.of("public_keys", list)));
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
