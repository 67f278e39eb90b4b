package dev.mayfly.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyException;
import dev.mayfly.server.http.HttpLimits;
import dev.mayfly.server.testing.BrokerClient;
import dev.mayfly.server.testing.BrokerExtension;
import dev.mayfly.server.testing.TestCertificates;
import dev.mayfly.verifier.Decision;
import dev.mayfly.verifier.FeedStatus;
import dev.mayfly.verifier.JwksSource;
import dev.mayfly.verifier.RevocationFeedSubscriber;
import dev.mayfly.verifier.TokenVerifier;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The broker serving HTTPS itself, from PEM files a private CA issued. */
class TlsTest {
    static final TestCertificates CERTS = TestCertificates.create(tempDir("mayfly-tls"));

    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension(b -> b.tls(CERTS.rsaChain(), CERTS.rsaKey()))
            .trusting(CERTS.clientContext());

    @Test
    void tokensAreIssuedOverHttpsAndTheIssuerSaysHttps() {
        assertThat(broker.issuer()).startsWith("https://127.0.0.1:");
        BrokerClient client = broker.client();
        JsonNode meta = client.get("/.well-known/oauth-authorization-server", null).body();
        assertThat(meta.get("issuer").asText()).isEqualTo(broker.issuer());
        assertThat(meta.get("token_endpoint").asText()).startsWith("https://");
        assertThat(meta.get("jwks_uri").asText()).startsWith("https://");

        String admin = client.adminToken(broker.adminCredentials());
        JsonNode agent = client.createAgent(admin, "tls-agent", "llm", List.of("x:read"), List.of());
        BrokerClient.Response login = client.login(agent.get("client_id").asText(), agent.get("client_secret").asText());
        assertThat(login.status()).isEqualTo(200);
        BrokerClient.Response whoami = client.get("/v1/whoami", login.body().get("access_token").asText());
        assertThat(whoami.status()).as(whoami.raw()).isEqualTo(200);
        assertThat(broker.adminCredentials().path("issuer").asText(broker.issuer())).startsWith("https://");
    }

    @Test
    void aRemoteVerifierFetchesKeysAndFollowsRevocationsOverHttpsWithThePrivateCa() throws Exception {
        BrokerClient client = broker.client();
        String admin = client.adminToken(broker.adminCredentials());
        JsonNode agent = client.createAgent(admin, "tls-verified", "llm", List.of("api:read"), List.of("https://api.example"));
        try (RevocationFeedSubscriber feed = RevocationFeedSubscriber.builder().broker(URI.create(broker.issuer()))
                .token(() -> client.adminToken(broker.adminCredentials())).clock(broker.clock())
                .sslContext(CERTS.clientContext()).backoff(Duration.ofMillis(20), Duration.ofMillis(200)).build().start()) {
            TokenVerifier verifier = TokenVerifier.builder().issuer(broker.issuer()).audience("https://api.example")
                    .jwks(JwksSource.remote(URI.create(broker.issuer() + "/jwks.json"), broker.clock(),
                            Duration.ofMinutes(5), Duration.ofSeconds(10), CERTS.clientContext()))
                    .clock(broker.clock()).revocations(feed).build();
            String session = client.login(agent.get("client_id").asText(), agent.get("client_secret").asText()).body()
                    .get("access_token").asText();
            String task = client.exchange(session, Map.of("audience", "https://api.example", "task_id", "tls-task")).body()
                    .get("access_token").asText();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (feed.status().state() != FeedStatus.State.LIVE && System.nanoTime() < deadline) {
                feed.awaitSequence(Long.MAX_VALUE, Duration.ofMillis(50)); // connected over TLS, or not
            }
            assertThat(feed.status().state()).isEqualTo(FeedStatus.State.LIVE);
            Decision d = verifier.verify(task, List.of("api:read"));
            assertThat(d.allowed()).as(() -> String.valueOf(d.error())).isTrue();

            BrokerClient.Response revoked = client.postJson("/v1/revocations", admin, Map.of("task_id", "tls-task", "agent_id", agent.get("agent_id").asText()));
            assertThat(revoked.status()).as(revoked.raw()).isEqualTo(201);
            assertThat(feed.awaitSequence(revoked.body().at("/data/seq").asLong(), Duration.ofSeconds(20))).isTrue();
            assertThat(verifier.verify(task, List.of("api:read")).error().code()).isEqualTo(ErrorCode.CREDENTIALS_REVOKED);
        }
    }

    @Test
    void plainHttpToTheTlsPortGetsNoAnswer() throws IOException {
        try (Socket s = new Socket("127.0.0.1", broker.broker().port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String answer = new String(readAll(s.getInputStream()), StandardCharsets.ISO_8859_1);
            assertThat(answer).doesNotContain("\"status\"").doesNotContain("200 OK");
        }
    }

    @Test
    void aClientThatDoesNotTrustThePrivateCaIsRefused() {
        HttpClient untrusting = HttpClient.newHttpClient();
        HttpRequest r = HttpRequest.newBuilder(URI.create(broker.issuer() + "/healthz")).timeout(Duration.ofSeconds(10)).build();
        assertThatThrownBy(() -> untrusting.send(r, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void anyAddressWithTlsStartsWithoutInsecure() {
        try (Broker b = start(c -> c.listen("0.0.0.0:0").tls(CERTS.rsaChain(), CERTS.rsaKey()))) {
            assertThat(b.issuer()).startsWith("https://0.0.0.0:");
            assertThat(healthz(b.port())).isEqualTo(200);
        }
        assertThatThrownBy(() -> start(c -> c.listen("0.0.0.0:0")))
                .isInstanceOfSatisfying(MayflyException.class, e -> assertThat(e.error().code()).isEqualTo(ErrorCode.PRECONDITION))
                .hasMessageContaining("--tls-cert");
    }

    @Test
    void aStalledTlsHandshakeIsCutOffByTheRequestDeadline() throws IOException {
        try (Broker b = start(c -> c.tls(CERTS.rsaChain(), CERTS.rsaKey()).limits(HttpLimits.defaults()
                .withRequestReadTimeout(Duration.ofSeconds(1)).withIdleTimeout(Duration.ofMinutes(5))));
             Socket s = new Socket("127.0.0.1", b.port())) {
            s.setSoTimeout(60_000); // far past the deadline; the idle timeout is longer still
            s.getOutputStream().write(0x16); // the first byte of a TLS record, and then nothing
            s.getOutputStream().flush();
            byte[] answer = readAll(s.getInputStream()); // returns at end of stream: the broker closed it
            if (answer.length > 0) {
                assertThat(answer[0]).as("only TLS alerts (user_canceled, close_notify)").isEqualTo((byte) 21);
            }
        }
    }

    @Test
    void keysAsOpensslAndCertbotWriteThemAreServed() {
        try (Broker b = start(c -> c.tls(CERTS.rsaChain(), CERTS.file("rsa-key-pkcs1.pem")))) {
            assertThat(healthz(b.port())).isEqualTo(200);
        }
        try (Broker b = start(c -> c.tls(CERTS.file("ec-chain.pem"), CERTS.file("ec-key-sec1.pem")))) {
            assertThat(healthz(b.port())).isEqualTo(200);
        }
    }

    @Test
    void badFilesAreCleanErrorsBeforeAnythingListens() throws IOException {
        Path junk = Files.writeString(CERTS.file("junk.pem"), "not a certificate\n");
        expect(ErrorCode.USAGE, "holds no PEM certificate", c -> c.tls(junk, CERTS.rsaKey()));
        expect(ErrorCode.USAGE, "holds no PEM private key", c -> c.tls(CERTS.rsaChain(), junk));
        expect(ErrorCode.NOT_FOUND, "does not exist", c -> c.tls(CERTS.file("missing.pem"), CERTS.rsaKey()));
        expect(ErrorCode.USAGE, "encrypted", c -> c.tls(CERTS.rsaChain(), CERTS.file("rsa-key-encrypted-pkcs1.pem")));
        expect(ErrorCode.USAGE, "encrypted", c -> c.tls(CERTS.rsaChain(), CERTS.file("rsa-key-encrypted-pkcs8.pem")));
        expect(ErrorCode.USAGE, "does not belong", c -> c.tls(CERTS.rsaChain(), CERTS.file("ec-key-sec1.pem")));
        Path truncated = Files.writeString(CERTS.file("truncated.pem"),
                "-----BEGIN CERTIFICATE-----\nMIIBkTCB+wIJAKH\n-----END CERTIFICATE-----\n");
        expect(ErrorCode.USAGE, "cannot be read", c -> c.tls(truncated, CERTS.rsaKey()));
        assertThatThrownBy(() -> BrokerConfig.builder().home(broker.home()).tls(CERTS.rsaChain(), null).build())
                .isInstanceOfSatisfying(MayflyException.class, e -> assertThat(e.error().code()).isEqualTo(ErrorCode.USAGE));
    }

    private static void expect(ErrorCode code, String message, Consumer<BrokerConfig.Builder> config) {
        assertThatThrownBy(() -> start(config).close())
                .isInstanceOfSatisfying(MayflyException.class, e -> assertThat(e.error().code()).isEqualTo(code))
                .hasMessageContaining(message);
    }

    private static Broker start(Consumer<BrokerConfig.Builder> config) {
        BrokerConfig.Builder b = BrokerConfig.builder().listen("127.0.0.1:0").home(tempDir("mayfly-tls-home"))
                .clock(broker.clock()).env(Map.of());
        config.accept(b);
        return Broker.start(b.build());
    }

    private static int healthz(int port) {
        BrokerClient c = new BrokerClient("https://127.0.0.1:" + port, CERTS.clientContext());
        return c.get("/healthz", null).status();
    }

    private static byte[] readAll(InputStream in) {
        try {
            return in.readAllBytes();
        } catch (java.net.SocketTimeoutException e) {
            throw new AssertionError("the broker kept the connection open", e);
        } catch (IOException e) {
            return new byte[0]; // reset by the server: no answer either
        }
    }

    private static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
