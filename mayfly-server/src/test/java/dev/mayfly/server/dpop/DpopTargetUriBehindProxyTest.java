package dev.mayfly.server.dpop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.OctetKeyPair;
import dev.mayfly.server.Broker;
import dev.mayfly.server.BrokerConfig;
import dev.mayfly.server.testing.BrokerClient;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which URI a DPoP proof's {@code htu} may name when the broker sits behind a TLS-terminating proxy
 * (docs/operations.md "DPoP behind a proxy"): the request's URI as the broker receives it (the scheme of its own
 * listener and the {@code Host} header the proxy forwarded), or the same path under the configured public URL
 * ({@code --issuer}); never an origin named only by {@code X-Forwarded-*}/{@code Forwarded} headers. Requests
 * are written on a raw socket, as a proxy would forward them (the JDK's HTTP client does not let a caller set
 * {@code Host}), to a plain-HTTP broker whose issuer is the public {@code https://} name.
 */
class DpopTargetUriBehindProxyTest {
    static final String PUBLIC = "https://mayfly.example.com";
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path home;

    static Broker broker;
    static String basic;

    @BeforeAll
    static void setUp() {
        broker = Broker.start(BrokerConfig.builder().listen("127.0.0.1:0").home(home).env(Map.of()).issuer(PUBLIC).build());
        BrokerClient client = new BrokerClient("http://127.0.0.1:" + broker.port());
        JsonNode admin;
        try {
            admin = JSON.readTree(home.resolve("admin.json").toFile());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        JsonNode agent = client.createAgent(client.adminToken(admin), "proxied", "llm", List.of("docs:read"), List.of());
        basic = "Basic " + Base64.getEncoder().encodeToString((agent.get("client_id").asText() + ":"
                + agent.get("client_secret").asText()).getBytes(StandardCharsets.UTF_8));
    }

    @AfterAll
    static void tearDown() {
        broker.close();
    }

    @Test
    void theIssuersHttpsUrlIsAcceptedWhenTlsEndsAtTheProxyWhateverHostItForwards() throws Exception {
        OctetKeyPair key = DpopRequests.edKey();
        for (String host : List.of("mayfly.example.com", "127.0.0.1:" + broker.port())) {
            String proof = DpopRequests.nimbusProof(key, "POST", PUBLIC + "/oauth/token", Instant.now(), null, null);
            Reply r = login(host, proof);
            assertThat(r.status).as(host + ": " + r.body).isEqualTo(200);
            assertThat(r.body.get("token_type").asText()).isEqualTo("DPoP");
        }
    }

    @Test
    void anotherHttpsOriginIsRefusedEvenWhenForwardedHeadersNameIt() throws Exception {
        OctetKeyPair key = DpopRequests.edKey();
        for (String other : List.of("https://evil.example.com", "https://mayfly.example.com:8443", "http://mayfly.example.com:443")) {
            String proof = DpopRequests.nimbusProof(key, "POST", other + "/oauth/token", Instant.now(), null, null);
            String forwardedHost = URI.create(other).getAuthority();
            Reply r = login("mayfly.example.com", proof, "X-Forwarded-Proto: " + URI.create(other).getScheme(),
                    "X-Forwarded-Host: " + forwardedHost, "Forwarded: proto=" + URI.create(other).getScheme() + ";host=" + forwardedHost);
            assertThat(r.status).as(other + ": " + r.body).isEqualTo(400);
            assertThat(r.body.get("error").asText()).isEqualTo("invalid_dpop_proof");
            assertThat(r.body.get("error_description").asText()).contains("htu");
        }
    }

    @Test
    void theIssuersPathMustBeTheRequestsToo() throws Exception {
        OctetKeyPair key = DpopRequests.edKey();
        String proof = DpopRequests.nimbusProof(key, "POST", PUBLIC + "/v1/whoami", Instant.now(), null, null);
        Reply r = login("mayfly.example.com", proof);
        assertThat(r.status).as(r.body.toString()).isEqualTo(400);
        assertThat(r.body.get("error_description").asText()).contains("htu");
    }

    @Test
    void theSchemeIsTheListenersAndTheHostIsTheForwardedHostHeader() throws Exception {
        OctetKeyPair key = DpopRequests.edKey();
        String proof = DpopRequests.nimbusProof(key, "POST", "http://mayfly.example.com/oauth/token", Instant.now(), null, null);
        Reply r = login("mayfly.example.com", proof);
        assertThat(r.status).as(r.body.toString()).isEqualTo(200);
        assertThat(r.body.get("token_type").asText()).isEqualTo("DPoP");
    }

    @Test
    void aProxyThatRewritesHostToTheUpstreamAddressBreaksEveryPublicHtu() throws Exception {
        OctetKeyPair key = DpopRequests.edKey();
        String proof = DpopRequests.nimbusProof(key, "POST", "http://mayfly.example.com/oauth/token", Instant.now(), null, null);
        Reply r = login("127.0.0.1:" + broker.port(), proof);
        assertThat(r.status).as(r.body.toString()).isEqualTo(400);
        assertThat(r.body.get("error_description").asText()).contains("htu");
    }

    record Reply(int status, JsonNode body) {
    }

    /** A client_credentials login with a proof, as a proxy forwards it: {@code Host: host} and any extra headers. */
    private static Reply login(String host, String proof, String... extraHeaders) throws Exception {
        byte[] body = "grant_type=client_credentials".getBytes(StandardCharsets.US_ASCII);
        StringBuilder head = new StringBuilder("POST /oauth/token HTTP/1.1\r\nHost: ").append(host).append("\r\n")
                .append("Authorization: ").append(basic).append("\r\n")
                .append("DPoP: ").append(proof).append("\r\n")
                .append("Content-Type: application/x-www-form-urlencoded\r\n")
                .append("Content-Length: ").append(body.length).append("\r\n")
                .append("Connection: close\r\n");
        for (String h : extraHeaders) {
            head.append(h).append("\r\n");
        }
        head.append("\r\n");
        try (Socket s = new Socket("127.0.0.1", broker.port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            String response = all.toString(StandardCharsets.UTF_8);
            int status = Integer.parseInt(response.substring(9, 12));
            String payload = response.substring(response.indexOf("\r\n\r\n") + 4);
            // Jetty may answer chunked: the JSON object is between the first '{' and the last '}'.
            payload = payload.substring(payload.indexOf('{'), payload.lastIndexOf('}') + 1);
            return new Reply(status, JSON.readTree(payload));
        }
    }
}
