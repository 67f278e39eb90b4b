package dev.mayfly.client.classify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mayfly.core.time.ManualClock;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An answer that calls the token expired without saying when: the classifier reports the sent token's exp
 * only when that instant has passed (within the skew allowance), never a future one as "expired at".
 */
class ReportedExpiryTest {
    static final Instant NOW = Instant.parse("2026-11-22T14:00:00Z");
    final AuthFailureClassifier classifier = AuthFailureClassifier.builder()
            .clock(new ManualClock(NOW)).clockSkew(Duration.ofSeconds(30)).build();

    AuthFailure expiredAnswer(Instant sentExp) {
        HttpHeaders h = HttpHeaders.of(Map.of("WWW-Authenticate",
                List.of("Bearer error=\"invalid_token\", error_description=\"The access token expired\"")), (a, b) -> true);
        return classifier.classify(401, h, "", SentCredential.expiringAt(sentExp)).orElseThrow();
    }

    @Test
    void aPassedExpiryIsReported() {
        AuthFailure f = expiredAnswer(NOW.minusSeconds(300));
        assertThat(f.kind()).isEqualTo(AuthFailure.Kind.EXPIRED);
        assertThat(f.expiredAt()).contains(NOW.minusSeconds(300));
    }

    @Test
    void anExpiryWithinTheSkewIsReported() {
        assertThat(expiredAnswer(NOW.plusSeconds(20)).expiredAt()).contains(NOW.plusSeconds(20));
    }

    @Test
    void aFutureExpiryIsNotAnExpiryThatHappened() {
        AuthFailure f = expiredAnswer(NOW.plusSeconds(600));
        assertThat(f.kind()).as("the server's word still decides the kind").isEqualTo(AuthFailure.Kind.EXPIRED);
        assertThat(f.expiredAt()).isEmpty();
        assertThat(f.toError().expiredAt()).isNull();
    }
}
