package dev.mayfly.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jwt.SignedJWT;
import dev.mayfly.client.testing.Agents;
import dev.mayfly.client.testing.Agents.Agent;
import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyException;
import dev.mayfly.core.policy.DpopRule;
import dev.mayfly.core.policy.TtlPolicy;
import dev.mayfly.server.testing.BrokerExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Java SDK's DPoP against a real broker that demands server nonces: the token source and {@link OAuthClient}
 * sign a proof per token request (meeting {@code use_dpop_nonce} once with the nonce), get bound tokens, and the
 * authenticated client presents them as {@code Authorization: DPoP} with a fresh proof per request. The SDK's
 * proofs are also checked by Nimbus, an implementation that is not Mayfly's.
 */
class DpopClientTest {
    @RegisterExtension
    static final BrokerExtension broker = BrokerExtension.withPolicy(TtlPolicy.builder()
            .dpop(new DpopRule(Set.of(), Set.of(), true)).build());

    private OAuthClient oauth() {
        return OAuthClient.create(URI.create(broker.issuer()), HttpClient.newHttpClient(), Duration.ofSeconds(10),
                broker.clock(), null);
    }

    @Test
    void aTokenSourceWithAKeyGetsBoundTokensAndTheClientSendsThemAsDpop() throws Exception {
        Agent agent = Agents.create(broker, List.of("orders:read"), List.of());
        DpopKey key = DpopKey.generate();
        try (TokenSource tokens = TokenSource.builder().broker(URI.create(broker.issuer()))
                .clientCredentials(agent.clientId(), agent.clientSecret()).clock(broker.clock())
                .acquireTimeout(Duration.ZERO).dpop(key).build()) {
            AccessToken session = tokens.sessionToken();
            assertThat(session.tokenType()).isEqualTo("DPoP");
            assertThat(UnverifiedJwt.read(session.value().reveal()).orElseThrow().claims().get("cnf"))
                    .isEqualTo(java.util.Map.of("jkt", key.thumbprint()));

            AuthenticatedHttpClient http = AuthenticatedHttpClient.builder(tokens).clock(broker.clock()).build();
            HttpResponse<String> who = http.send(HttpRequest.newBuilder(URI.create(broker.issuer() + "/v1/whoami")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(who.statusCode()).as(who.body()).isEqualTo(200);
            // Again: a new proof (a new jti) per request.
            assertThat(http.send(HttpRequest.newBuilder(URI.create(broker.issuer() + "/v1/whoami?again=1")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);

            // The same token copied out and sent as Bearer is refused.
            assertThat(Agents.whoami(broker, session.value()).status()).isEqualTo(401);
        }
    }

    @Test
    void oauthClientWithDpopLogsInRefreshesAndExchangesBoundAndWithoutTheKeyTheRefreshIsRefused() {
        Agent agent = Agents.create(broker, List.of("orders:read"), List.of());
        DpopKey key = DpopKey.generate();
        OAuthClient bound = oauth().withDpop(key);
        TokenResponse login = bound.login(agent.clientId(), agent.clientSecret(), null, null);
        assertThat(login.tokenType()).isEqualTo("DPoP");
        TokenResponse task = bound.exchange(login.accessToken(), List.of("orders:read"), null, null, null);
        assertThat(task.tokenType()).isEqualTo("DPoP");

        assertThatThrownBy(() -> oauth().refresh(login.refreshToken()))
                .isInstanceOfSatisfying(MayflyException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CREDENTIALS_INVALID));
        assertThatThrownBy(() -> oauth().withDpop(DpopKey.generate()).refresh(login.refreshToken()))
                .isInstanceOfSatisfying(MayflyException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CREDENTIALS_INVALID));
        TokenResponse refreshed = bound.refresh(login.refreshToken());
        assertThat(refreshed.tokenType()).isEqualTo("DPoP");
    }

    @Test
    void theKeysProofsVerifyWithNimbusAndItsJwkRoundTrips() throws Exception {
        DpopKey key = DpopKey.generate();
        String proof = key.proof("GET", URI.create("https://api.example/orders?page=2#x"), "tok", "n-1", broker.clock().instant());
        SignedJWT jwt = SignedJWT.parse(proof);
        OctetKeyPair jwk = (OctetKeyPair) jwt.getHeader().getJWK();
        assertThat(jwt.verify(new Ed25519Verifier(jwk))).isTrue();
        assertThat(jwt.getHeader().getType().getType()).isEqualTo("dpop+jwt");
        assertThat(jwk.computeThumbprint().toString()).isEqualTo(key.thumbprint());
        assertThat(jwt.getJWTClaimsSet().getStringClaim("htu")).isEqualTo("https://api.example/orders");
        assertThat(jwt.getJWTClaimsSet().getStringClaim("nonce")).isEqualTo("n-1");
        assertThat(jwt.getJWTClaimsSet().getStringClaim("ath")).isEqualTo(java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(java.security.MessageDigest.getInstance("SHA-256").digest("tok".getBytes())));

        DpopKey again = DpopKey.fromPrivateJwk(key.privateJwk());
        assertThat(again.thumbprint()).isEqualTo(key.thumbprint());
        assertThat(key.toString()).doesNotContain(key.privateJwk().reveal()).contains(key.thumbprint());
        assertThat(key.privateJwk().toString()).doesNotContain("\"d\"");
        String other = DpopKey.generate().privateJwk().reveal();
        String mixed = key.privateJwk().reveal().replaceAll("\"d\":\"[^\"]+\"",
                other.replaceAll(".*(\"d\":\"[^\"]+\").*", "$1"));
        assertThatThrownBy(() -> DpopKey.fromPrivateJwk(dev.mayfly.core.secret.Secret.of(mixed)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
