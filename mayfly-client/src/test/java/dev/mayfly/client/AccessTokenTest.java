package dev.mayfly.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mayfly.core.secret.Secret;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AccessTokenTest {
    private static final Instant EXP = Instant.ofEpochSecond(1795356000);

    @Test
    void aTokenFromElsewhereIsDescribedByItsOwnClaims() {
        AccessToken t = AccessToken.of(Secret.of(UnverifiedJwtTest.jwt("{\"sub\":\"agt_1\",\"aud\":\"https://rs\",\"iat\":1795355700,"
                + "\"exp\":1795356000,\"jti\":\"j1\",\"scope\":\"a b\",\"sid\":\"ses_1\",\"task\":\"tsk_1\"}")));
        assertThat(t.expiresAt()).isEqualTo(EXP);
        assertThat(t.issuedAt()).isEqualTo(EXP.minusSeconds(300));
        assertThat(t.lifetime()).isEqualTo(Duration.ofMinutes(5));
        assertThat(t.scopes()).containsExactly("a", "b");
        assertThat(t.audiences()).containsExactly("https://rs");
        assertThat(t.sessionId()).contains("ses_1");
        assertThat(t.taskId()).contains("tsk_1");
        assertThat(t.claims().orElseThrow().jti()).isEqualTo("j1");
        assertThat(t.isExpired(EXP.minusSeconds(1))).isFalse();
        assertThat(t.isExpired(EXP)).isTrue();
        assertThat(t.toString()).doesNotContain(t.value().reveal());
    }

    @Test
    void theHoldersExpiryWinsOverTheClaim() {
        AccessToken t = AccessToken.of(Secret.of(UnverifiedJwtTest.jwt("{\"exp\":1795356000}")), EXP.minusSeconds(60));
        assertThat(t.expiresAt()).isEqualTo(EXP.minusSeconds(60));
    }

    @Test
    void anUnreadableTokenHasAnUnknownExpiryAndNeverCountsAsExpired() {
        AccessToken t = AccessToken.of(Secret.of("opaque-token"));
        assertThat(t.expiresAt()).isNull();
        assertThat(t.issuedAt()).isNull();
        assertThat(t.claims()).isEmpty();
        assertThat(t.isExpired(Instant.MAX)).isFalse();
        assertThat(t.remaining(EXP)).isZero();
        assertThat(t.lifetime()).isZero();
        assertThat(t.request()).isNull();
    }
}
