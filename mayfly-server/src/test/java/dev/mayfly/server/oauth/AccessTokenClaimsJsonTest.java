package dev.mayfly.server.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The streamed claims are the claims Nimbus' {@code JWTClaimsSet} wrote before: parsed back, they are equal claim
 * for claim, in both shapes of {@code aud}, with and without the optional claims, and with text that needs escaping.
 */
class AccessTokenClaimsJsonTest {
    private static final long IAT = 1_795_000_000L;

    @Test
    void aSessionTokenHasTheClaimsTheNimbusBuilderGave() throws Exception {
        byte[] json = AccessTokenClaimsJson.write("https://broker.test", "agt_1", List.of("https://broker.test"), IAT + 600,
                IAT, "jti1", "cid_1", "docs:read docs:write", "ses_1", "standard", null, null, null);

        JWTClaimsSet expected = base(List.of("https://broker.test"), "docs:read docs:write").build();
        assertThat(parse(json)).isEqualTo(expected.toJSONObject());
        assertThat(parse(json).get("aud")).isEqualTo("https://broker.test"); // one audience: a string, as before
    }

    @Test
    void aDelegatedBoundTaskTokenWithSeveralAudiencesToo() throws Exception {
        Map<String, Object> actor = Map.of("sub", "agt_0", "act", Map.of("sub", "user \"quoted\" é \u2028"));
        byte[] json = AccessTokenClaimsJson.write("https://broker.test", "agt_1", List.of("https://a.example", "https://b.example"),
                IAT + 600, IAT, "jti1", "cid_1", "orders:read", "ses_1", "high", "tsk_9", actor, "thumb");

        JWTClaimsSet expected = base(List.of("https://a.example", "https://b.example"), "orders:read")
                .claim("task", "tsk_9").claim("act", actor).claim("cnf", Map.of("jkt", "thumb"))
                .claim("tier", "high").build();
        assertThat(parse(json)).isEqualTo(expected.toJSONObject());
    }

    private static JWTClaimsSet.Builder base(List<String> audiences, String scope) {
        return new JWTClaimsSet.Builder().issuer("https://broker.test").subject("agt_1").audience(audiences)
                .expirationTime(new Date((IAT + 600) * 1000)).issueTime(new Date(IAT * 1000)).notBeforeTime(new Date(IAT * 1000))
                .jwtID("jti1").claim("client_id", "cid_1").claim("scope", scope).claim("sid", "ses_1").claim("tier", "standard");
    }

    private static Map<String, Object> parse(byte[] json) throws Exception {
        return JWTClaimsSet.parse(new String(json, StandardCharsets.UTF_8)).toJSONObject();
    }
}
