package dev.mayfly.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class UnverifiedJwtTest {
    static String jwt(String claims) {
        Base64.Encoder e = Base64.getUrlEncoder().withoutPadding();
        return e.encodeToString("{\"alg\":\"EdDSA\",\"typ\":\"at+jwt\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + e.encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + ".c2ln";
    }

    @Test
    void readsClaimsWithoutVerifying() {
        UnverifiedJwt p = UnverifiedJwt.read(jwt("{\"iss\":\"http://b\",\"sub\":\"agt_1\",\"aud\":[\"http://b\",\"https://rs\"],"
                + "\"exp\":1795356000,\"jti\":\"j1\",\"scope\":\"a b\",\"sid\":\"ses_1\",\"task\":\"tsk_1\"}")).orElseThrow();
        assertThat(p.expiresAt()).isEqualTo(Instant.ofEpochSecond(1795356000));
        assertThat(p.scopes()).containsExactly("a", "b");
        assertThat(p.audience()).containsExactly("http://b", "https://rs");
        assertThat(p.taskId()).isEqualTo("tsk_1");
        assertThat(UnverifiedJwt.read("garbage")).isEmpty();
        assertThat(UnverifiedJwt.read("a.b.c")).isEmpty();
    }

    @Test
    void anOversizedPartIsNotParsed() {
        assertThat(UnverifiedJwt.read("eyJhbGciOiJub25lIn0." + "A".repeat(UnverifiedJwt.MAX_PART + 1) + ".c2ln")).isEmpty();
        assertThat(UnverifiedJwt.read(null)).isEmpty();
    }
}
