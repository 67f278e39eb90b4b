package dev.mayfly.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import dev.mayfly.client.testing.ManualScheduler;
import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyException;
import dev.mayfly.server.testing.BrokerClient;
import dev.mayfly.server.testing.BrokerExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SDK logs in without a client secret: {@link ClientAssertions#privateKeyJwt} signs with the JDK alone (Ed25519,
 * EC P-256, RSA; JWK or PKCS #8) and a real broker accepts it; a {@link TokenSource} asks its supplier only to log in,
 * never to refresh; {@link ClientAssertions#fromFile} reads the token the platform renews.
 */
class ClientAssertionTest {
    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    @TempDir
    Path dir;

    static String register(String name, JWK key) {
        BrokerClient c = broker.client();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("scopes", List.of("orders:read"));
        body.put("public_key", key.toPublicJWK().toJSONObject());
        BrokerClient.Response r = c.postJson("/v1/agents", c.adminToken(broker.adminCredentials()), body);
        assertThat(r.status()).as(r.raw()).isEqualTo(201);
        return r.body().at("/data/client_id").asText();
    }

    static OAuthClient oauth() {
        return OAuthClient.create(URI.create(broker.issuer()), HttpClient.newHttpClient(), Duration.ofSeconds(5),
                broker.clock(), null);
    }

    @Test
    void eachKeyKindSignsAnAssertionTheBrokerAccepts() throws Exception {
        JWK ed = new OctetKeyPairGenerator(Curve.Ed25519).keyID("sdk-ed").generate();
        JWK ec = new ECKeyGenerator(Curve.P_256).keyID("sdk-ec").generate();
        JWK rsa = new RSAKeyGenerator(2048).keyID("sdk-rsa").generate();
        for (JWK key : List.of(ed, ec, rsa)) {
            String clientId = register("sdk-" + key.getKeyID(), key);
            Supplier<String> assertions = ClientAssertions.privateKeyJwt(clientId, key.toJSONString(),
                    URI.create(broker.issuer()), broker.clock());
            TokenResponse r = oauth().loginWithAssertion(clientId, assertions, null, null);
            assertThat(r.accessToken().reveal()).as(key.getKeyType().getValue()).isNotEmpty();
            assertThat(assertions.get()).as("a fresh jti each time").isNotEqualTo(assertions.get());
        }
        // The EC key as PKCS #8 PEM (what `openssl genpkey` writes), for an agent registered with another key: refused.
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(ec.toECKey().toECPrivateKey().getEncoded()) + "\n-----END PRIVATE KEY-----\n";
        String ecClient = register("sdk-ec-pem", new ECKeyGenerator(Curve.P_256).generate());
        assertThatThrownBy(() -> oauth().loginWithAssertion(ecClient,
                ClientAssertions.privateKeyJwt(ecClient, pem, URI.create(broker.issuer()), broker.clock()), null, null))
                .as("another key than the one registered").isInstanceOfSatisfying(MayflyException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.CREDENTIALS_INVALID));
    }

    @Test
    void aTokenSourceAsksForAnAssertionToLogInNotToRefresh() throws Exception {
        JWK key = new OctetKeyPairGenerator(Curve.Ed25519).keyID("src").generate();
        String clientId = register("sdk-source", key);
        AtomicInteger asked = new AtomicInteger();
        Supplier<String> signer = ClientAssertions.privateKeyJwt(clientId, key.toJSONString(), URI.create(broker.issuer()),
                broker.clock());
        ManualScheduler scheduler = new ManualScheduler(broker.clock());
        try (TokenSource s = TokenSource.builder().broker(URI.create(broker.issuer())).clock(broker.clock())
                .scheduler(scheduler).acquireTimeout(Duration.ZERO).requestTimeout(Duration.ofSeconds(5))
                .clientAssertion(clientId, () -> {
                    asked.incrementAndGet();
                    return signer.get();
                }).build()) {
            AccessToken first = s.sessionToken();
            assertThat(asked).hasValue(1);
            broker.clock().set(first.refreshAt());
            scheduler.runDue();
            AccessToken second = s.sessionToken();
            assertThat(second.value()).isNotEqualTo(first.value());
            assertThat(second.sessionId()).isEqualTo(first.sessionId());
            assertThat(asked).as("refreshing needs no assertion").hasValue(1);
        }
    }

    @Test
    void aTokenFileIsReadAgainOnEveryLogin() throws Exception {
        Path file = dir.resolve("token");
        Files.writeString(file, "first\n");
        Supplier<String> s = ClientAssertions.fromFile(file);
        assertThat(s.get()).isEqualTo("first");
        Files.writeString(file, "second");
        assertThat(s.get()).isEqualTo("second");
    }

    @Test
    void aKeyThatCannotSignIsRefusedUpFront() throws Exception {
        JWK publicOnly = new OctetKeyPairGenerator(Curve.Ed25519).generate().toPublicJWK();
        assertThatThrownBy(() -> ClientAssertions.privateKeyJwt("cid", publicOnly.toJSONString(), URI.create(broker.issuer()),
                broker.clock())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot be read");
    }
}
