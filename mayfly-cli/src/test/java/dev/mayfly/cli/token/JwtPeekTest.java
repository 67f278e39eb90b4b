package dev.mayfly.cli.token;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class JwtPeekTest {
    static String jwt(String claims) {
        Base64.Encoder e = Base64.getUrlEncoder().withoutPadding();
        return e.encodeToString("{\"alg\":\"EdDSA\",\"typ\":\"at+jwt\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + e.encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + ".c2ln";
    }

    @Test
    void readsClaimsWithoutVerifying() {
        JwtPeek p = JwtPeek.of(jwt("{\"iss\":\"http://b\",\"sub\":\"agt_1\",\"aud\":[\"http://b\",\"https://rs\"],"
                + "\"exp\":1795356000,\"jti\":\"j1\",\"scope\":\"a b\",\"sid\":\"ses_1\",\"task\":\"tsk_1\"}")).orElseThrow();
        assertThat(p.expiresAt()).isEqualTo(Instant.ofEpochSecond(1795356000));
        assertThat(p.scopes()).containsExactly("a", "b");
        assertThat(p.audience()).containsExactly("http://b", "https://rs");
        assertThat(p.taskId()).isEqualTo("tsk_1");
        assertThat(JwtPeek.of("garbage")).isEmpty();
        assertThat(JwtPeek.of("a.b.c")).isEmpty();
    }

    @Test
    void theReissueHintAsksForAnEquivalentTokenAndQuotesNothing() {
        JwtPeek p = JwtPeek.of(jwt("{\"iss\":\"http://b\",\"aud\":[\"http://b\",\"https://rs\"],\"scope\":\"a b $(x)\","
                + "\"task\":\"tsk_1\",\"exp\":1}")).orElseThrow();
        assertThat(ReissueHint.forToken(p)).isEqualTo("mayfly token issue --scope a --scope b --audience https://rs --task tsk_1");
        assertThat(ReissueHint.forToken(null)).isEqualTo("mayfly token issue");
    }
}
