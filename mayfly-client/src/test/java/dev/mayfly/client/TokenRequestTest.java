package dev.mayfly.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mayfly.core.secret.Secret;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenRequestTest {
    @Test
    void keyIsAudiencesScopesAndTaskInAnyOrderButNotTheTtl() {
        TokenRequest a = TokenRequest.builder().audience("https://b", "https://a").scopes("y", "x").task("t1")
                .ttl(Duration.ofMinutes(1)).build();
        TokenRequest b = TokenRequest.builder().audience("https://a").audience("https://b").scopes("x", "y", "x").task("t1").build();
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a.audiences()).containsExactly("https://a", "https://b");
        assertThat(a).isNotEqualTo(TokenRequest.builder().audience("https://a", "https://b").scopes("x", "y").task("t2").build());
        assertThat(a).isNotEqualTo(TokenRequest.session());
        assertThat(TokenRequest.session().isSession()).isTrue();
    }

    @Test
    void validatesLikeTheBroker() {
        assertThatThrownBy(() -> TokenRequest.builder().task("no spaces")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TokenRequest.builder().scopes("a\"b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TokenRequest.builder().ttl(Duration.ofMillis(10))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void accessTokenNeverShowsItsValue() {
        AccessToken t = new AccessToken(Secret.of("eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ4In0.c2ln"), "Bearer", Instant.EPOCH,
                Instant.EPOCH.plusSeconds(600), Instant.EPOCH.plusSeconds(400), List.of("a"), List.of(), "ses_1", null, "low",
                TokenRequest.session());
        assertThat(t.toString()).doesNotContain("eyJ").contains("redacted");
        assertThat(t.lifetime()).isEqualTo(Duration.ofMinutes(10));
        assertThat(t.isExpired(Instant.EPOCH.plusSeconds(600))).isTrue();
        assertThat(t.remaining(Instant.EPOCH.plusSeconds(700))).isZero();
    }
}
