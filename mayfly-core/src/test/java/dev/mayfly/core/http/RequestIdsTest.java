package dev.mayfly.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RequestIdsTest {
    @Test
    void anIdAnOuterHandlerChoseWins() {
        assertThat(RequestIds.resolve("req_outer", "client-1")).isEqualTo("req_outer");
    }

    @Test
    void aSaneClientIdIsKept() {
        assertThat(RequestIds.resolve(null, "trace-01.ab_c:9")).isEqualTo("trace-01.ab_c:9");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "has space", "quote\"", "new\nline", "ünicode",
            "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"})
    void anythingElseIsReplacedByAFreshId(String header) {
        assertThat(RequestIds.resolve(null, header)).matches("req_[0-9A-Za-z]{20}");
    }

    @Test
    void anIdShapedLikeAMayflySecretOrAJwtIsReplacedNeverEchoed() {
        String refreshToken = dev.mayfly.core.secret.OpaqueSecret.generate(dev.mayfly.core.secret.SecretKind.REFRESH_TOKEN)
                .secret().reveal();
        for (String id : new String[] {refreshToken, "MFY_cs_typo", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0."}) {
            assertThat(RequestIds.isAcceptable(id)).as(id).isFalse();
            assertThat(RequestIds.resolve(null, id)).matches("req_[0-9A-Za-z]{20}");
        }
    }

    @Test
    void freshIdsDiffer() {
        assertThat(RequestIds.generate()).isNotEqualTo(RequestIds.generate());
        assertThat(RequestIds.resolve(null, null)).startsWith("req_");
    }
}
