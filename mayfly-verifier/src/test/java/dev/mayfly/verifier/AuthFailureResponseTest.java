package dev.mayfly.verifier;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyError;
import dev.mayfly.core.json.Json;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuthFailureResponseTest {
    static final MayflyError EXPIRED = MayflyError.builder(ErrorCode.CREDENTIALS_EXPIRED,
                    "Access token expired at 2026-11-22T14:15:00Z.")
            .expiredAt(Instant.parse("2026-11-22T14:15:00Z")).reauthCommand("mayfly auth refresh").build();

    @Test
    void expiredIs401WithChallengeNoStoreAndTheEnvelope() throws IOException {
        AuthFailureResponse r = AuthFailureResponse.of(EXPIRED, "req_abc", 12);

        assertThat(r.status()).isEqualTo(401);
        assertThat(r.headers()).containsExactly(
                org.assertj.core.api.Assertions.entry("WWW-Authenticate",
                        "Bearer realm=\"mayfly\", error=\"invalid_token\", error_description=\"token expired\""),
                org.assertj.core.api.Assertions.entry("Content-Type", "application/json"),
                org.assertj.core.api.Assertions.entry("Cache-Control", "no-store"));
        JsonNode body = Json.mapper().readTree(r.body());
        assertThat(body.get("ok").asBoolean()).isFalse();
        assertThat(body.get("data").isNull()).isTrue();
        assertThat(body.at("/error/code").asText()).isEqualTo("CREDENTIALS_EXPIRED");
        assertThat(body.at("/error/expired_at").asText()).isEqualTo("2026-11-22T14:15:00Z");
        assertThat(body.at("/error/reauth_command").asText()).isEqualTo("mayfly auth refresh");
        assertThat(body.get("warnings").isArray()).isTrue();
        assertThat(body.at("/meta/duration_ms").asLong()).isEqualTo(12);
        assertThat(body.at("/meta/request_id").asText()).isEqualTo("req_abc");
        assertThat(body.at("/meta/schema_version").asText()).isEqualTo("1");
    }

    @Test
    void permissionDeniedIs403WithInsufficientScope() {
        MayflyError e = MayflyError.builder(ErrorCode.PERMISSION_DENIED, "Access token lacks required scope: b.")
                .requiredScope("a b").missingScopes(List.of("b")).build();
        AuthFailureResponse r = AuthFailureResponse.of(e, "req_1", 0);

        assertThat(r.status()).isEqualTo(403);
        assertThat(r.headers().get("WWW-Authenticate")).isEqualTo("Bearer realm=\"mayfly\", "
                + "error=\"insufficient_scope\", error_description=\"insufficient scope\", scope=\"a b\"");
    }

    @Test
    void unavailableIs503WithRetryAfterAndNoChallenge() {
        MayflyError e = MayflyError.builder(ErrorCode.UNAVAILABLE, "Revocation status is unavailable.")
                .retryAfterMs(1500).build();
        AuthFailureResponse r = AuthFailureResponse.of(e, "req_1", 0);

        assertThat(r.status()).isEqualTo(503);
        assertThat(r.headers()).doesNotContainKey("WWW-Authenticate")
                .containsEntry("Retry-After", "2")
                .containsEntry("Cache-Control", "no-store");
    }

    @Test
    void bodyIsACopy() {
        AuthFailureResponse r = AuthFailureResponse.of(EXPIRED, "req_1", 0);
        byte[] first = r.body();
        first[0] = 'X';
        assertThat(r.body()[0]).isEqualTo((byte) '{');
    }
}
