package dev.mayfly.server.dpop;

import static dev.mayfly.server.dpop.DpopRequests.nimbusProof;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.OctetKeyPair;
import dev.mayfly.core.policy.AgentKind;
import dev.mayfly.core.policy.DpopRule;
import dev.mayfly.core.policy.Tier;
import dev.mayfly.core.policy.TtlPolicy;
import dev.mayfly.server.federation.Assertions;
import dev.mayfly.server.testing.BrokerExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The policy's {@code [dpop]} table on a real broker: {@code high} tokens and {@code batch} agents must be bound,
 * refused otherwise with the rule named; and server nonces ({@code use_dpop_nonce} with a {@code DPoP-Nonce}
 * header, retried with the nonce), whose window moves with the broker's clock.
 */
class DpopPolicyTest {
    @RegisterExtension
    static final BrokerExtension broker = BrokerExtension.withPolicy(TtlPolicy.builder()
            // Not critical here: the test's admin logs in without a key (a deployment that lists critical makes its
            // admin log in with 'mayfly auth login --dpop').
            .dpop(new DpopRule(Set.of(Tier.HIGH), Set.of(AgentKind.BATCH), true))
            .build());

    static DpopRequests http;
    static JsonNode agent;
    static JsonNode batch;

    @BeforeAll
    static void setUp() {
        http = new DpopRequests(broker.issuer());
        String admin = broker.client().adminToken(broker.adminCredentials());
        agent = broker.client().createAgent(admin, "deleter", "interactive", List.of("docs:read", "docs:delete"), List.of());
        batch = broker.client().createAgent(admin, "nightly", "batch", List.of("docs:read"), List.of());
    }

    private static DpopRequests.Reply login(JsonNode who, String scope, String... dpop) throws Exception {
        return http.login(who.get("client_id").asText(), who.get("client_secret").asText(), scope, dpop);
    }

    @Test
    void aHighTierTokenWithoutProofIsRefusedNamingTheRuleAndALowOneIsNot() throws Exception {
        DpopRequests.Reply high = login(agent, "docs:delete");
        assertThat(high.status()).isEqualTo(400);
        assertThat(high.body().get("error").asText()).isEqualTo("invalid_dpop_proof");
        assertThat(high.body().get("error_description").asText()).contains("[dpop] required_tiers includes \"high\"");
        assertThat(high.body().get("reauth_command").asText()).isEqualTo("mayfly auth login --dpop");

        DpopRequests.Reply low = login(agent, "docs:read");
        assertThat(low.status()).as(low.raw().body()).isEqualTo(200);
        assertThat(low.body().get("token_type").asText()).isEqualTo("Bearer");

        DpopRequests.Reply nightly = login(batch, "docs:read");
        assertThat(nightly.status()).isEqualTo(400);
        assertThat(nightly.body().get("error_description").asText()).contains("[dpop] required_kinds includes \"batch\"");
    }

    @Test
    void aNonceDemandLeavesTheClientAssertionUnspentSoTheRetryMaySendTheSameOne() throws Exception {
        // A platform's workload token (a file, Kubernetes' projected token) cannot be re-signed for the retry.
        OctetKeyPair agentKey = DpopRequests.edKey();
        String admin = broker.client().adminToken(broker.adminCredentials());
        DpopRequests.Reply created = http.postJson("/v1/agents", admin, Map.of("name", "keybound-nightly",
                "kind", "batch", "scopes", List.of("docs:read"), "public_key", agentKey.toPublicJWK().toJSONObject()));
        assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
        String clientId = created.body().at("/data/client_id").asText();
        Instant now = broker.clock().instant();
        String assertion = Assertions.privateKeyJwt(agentKey, clientId, broker.issuer(), now, Duration.ofMinutes(5));
        Map<String, String> form = Map.of("grant_type", "client_credentials", "client_id", clientId,
                "client_assertion_type", Assertions.JWT_BEARER, "client_assertion", assertion);
        ECKey key = DpopRequests.ecKey();

        DpopRequests.Reply first = http.token(form, null, null,
                nimbusProof(key, "POST", http.tokenUri(), now, null, null));
        assertThat(first.body().get("error").asText()).as(first.raw().body()).isEqualTo("use_dpop_nonce");
        DpopRequests.Reply retry = http.token(form, null, null,
                nimbusProof(key, "POST", http.tokenUri(), now, null, first.header("DPoP-Nonce")));
        assertThat(retry.status()).as(retry.raw().body()).isEqualTo(200);
        assertThat(retry.body().get("token_type").asText()).isEqualTo("DPoP");

        DpopRequests.Reply replay = http.token(form, null, null,
                nimbusProof(key, "POST", http.tokenUri(), now, null, first.header("DPoP-Nonce")));
        assertThat(replay.status()).as("the assertion was spent by the login it authenticated").isEqualTo(401);
        assertThat(replay.body().get("error_description").asText()).containsIgnoringCase("replay");
    }

    @Test
    void aProofWithoutTheServerNonceGetsUseDpopNonceAndTheRetryWithItSucceeds() throws Exception {
        ECKey key = DpopRequests.ecKey();
        DpopRequests.Reply first = login(agent, "docs:delete",
                nimbusProof(key, "POST", http.tokenUri(), broker.clock().instant(), null, null));
        assertThat(first.status()).isEqualTo(400);
        assertThat(first.body().get("error").asText()).isEqualTo("use_dpop_nonce");
        String nonce = first.header("DPoP-Nonce");
        assertThat(nonce).isNotBlank();

        DpopRequests.Reply retry = login(agent, "docs:delete",
                nimbusProof(key, "POST", http.tokenUri(), broker.clock().instant(), null, nonce));
        assertThat(retry.status()).as(retry.raw().body()).isEqualTo(200);
        assertThat(retry.body().get("token_type").asText()).isEqualTo("DPoP");

        DpopRequests.Reply wrong = login(agent, "docs:delete",
                nimbusProof(key, "POST", http.tokenUri(), broker.clock().instant(), null, "not-the-nonce"));
        assertThat(wrong.body().get("error").asText()).isEqualTo("use_dpop_nonce");

        // A nonce lives one to two windows of 5 minutes: after 11 it is refused and a new one handed out.
        broker.clock().advance(Duration.ofMinutes(11));
        DpopRequests.Reply stale = login(agent, "docs:delete",
                nimbusProof(key, "POST", http.tokenUri(), broker.clock().instant(), null, nonce));
        assertThat(stale.body().get("error").asText()).isEqualTo("use_dpop_nonce");
        assertThat(stale.header("DPoP-Nonce")).isNotEqualTo(nonce);
    }
}
