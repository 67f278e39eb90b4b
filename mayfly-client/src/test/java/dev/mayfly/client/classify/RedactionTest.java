package dev.mayfly.client.classify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mayfly.core.time.ManualClock;
import java.net.http.HttpHeaders;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Whatever a server echoes, a classification never carries a credential into a message or a log line. */
class RedactionTest {
    static final String JWT = "eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJhZ3RfMSIsImV4cCI6MTc5NTM1NjAwMH0.c2lnbmF0dXJlc2lnbmF0dXJl";

    @Test
    void removesTokensOfEveryKnownShape() {
        String echoed = "bad token " + JWT + " and mfy_rt_0123456789abcdefghijABCDEFGHIJ012345 and ghp_"
                + "a".repeat(36) + " and hvs." + "B".repeat(24) + " and AKIAABCDEFGHIJKLMNOP and Bearer abcdefgh12345678";
        String out = Redaction.message(echoed);
        assertThat(out).doesNotContain("eyJ").doesNotContain("mfy_rt_0123").doesNotContain("ghp_aaaa")
                .doesNotContain("hvs.BBBB").doesNotContain("AKIAABCD").doesNotContain("abcdefgh12345678");
        assertThat(out).contains("[redacted]").startsWith("bad token");
    }

    @Test
    void shortensAndFlattens() {
        assertThat(Redaction.message("a\nb\tc")).isEqualTo("a b c");
        assertThat(Redaction.message("x".repeat(20) + " ".repeat(5) + "y ".repeat(400))).hasSizeLessThanOrEqualTo(303);
        assertThat(Redaction.message("   ")).isNull();
    }

    @Test
    void classificationOfAnEchoingServerHoldsNoToken() {
        AuthFailureClassifier c = AuthFailureClassifier.builder().clock(new ManualClock(Instant.parse("2026-11-22T14:00:00Z"))).build();
        AuthFailure f = c.classify(401, HttpHeaders.of(Map.of(), (a, b) -> true),
                "{\"error\":\"invalid_token\",\"error_description\":\"token " + JWT + " expired\"}", SentCredential.jwt(JWT)).orElseThrow();
        assertThat(f.kind()).isEqualTo(AuthFailure.Kind.EXPIRED);
        assertThat(f.toString()).doesNotContain("eyJ");
        assertThat(f.message().orElseThrow()).doesNotContain("eyJ");
        assertThat(f.toError().message()).doesNotContain("eyJ");
        assertThat(SentCredential.jwt(JWT).toString()).doesNotContain("eyJ");
        assertThat(SentCredential.jwt(JWT).expiresAt()).contains(Instant.ofEpochSecond(1795356000L));
        assertThat(String.valueOf(f.toError().toMap())).doesNotContain("eyJ");
    }
}
