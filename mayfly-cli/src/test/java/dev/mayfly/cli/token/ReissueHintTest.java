package dev.mayfly.cli.token;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mayfly.client.UnverifiedJwt;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The reissue hint's cases, formerly in JwtPeekTest (the reading itself is tested by the client's UnverifiedJwtTest). */
class ReissueHintTest {
    static String jwt(String claims) {
        Base64.Encoder e = Base64.getUrlEncoder().withoutPadding();
        return e.encodeToString("{\"alg\":\"EdDSA\",\"typ\":\"at+jwt\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + e.encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + ".c2ln";
    }

    @Test
    void theReissueHintAsksForAnEquivalentTokenAndQuotesNothing() {
        UnverifiedJwt p = UnverifiedJwt.read(jwt("{\"iss\":\"http://b\",\"aud\":[\"http://b\",\"https://rs\"],\"scope\":\"a b $(x)\","
                + "\"task\":\"tsk_1\",\"exp\":1}")).orElseThrow();
        assertThat(ReissueHint.forToken(p)).isEqualTo("mayfly token issue --scope a --scope b --audience https://rs --task tsk_1");
        assertThat(ReissueHint.forToken(null)).isEqualTo("mayfly token issue");
    }
}
