package dev.mayfly.core.token;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mayfly.core.json.Json;
import dev.mayfly.core.policy.Tier;
import dev.mayfly.core.time.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AccessTokenClaimsTest {
    private static final Instant IAT = Instant.parse("2026-11-22T14:05:00.900Z");
    private static final Instant EXP = Instant.parse("2026-11-22T14:15:00.999Z");

    private static AccessTokenClaims claims(String taskId, Map<String, Object> actor) {
        return new AccessTokenClaims("https://mayfly.example", "agt_123", List.of("https://api.example"),
                EXP, IAT, IAT, "jti_abc", "agt_123", List.of("repo:read", "payments:refund"), "ses_9",
                taskId, Tier.HIGH, actor);
    }

    @Test
    void claimNamesAreTheDesignOnes() {
        // DESIGN §3.3: iss sub aud exp iat nbf jti client_id scope + sid task tier act; typ at+jwt
        assertThat(List.of(ClaimNames.ISSUER, ClaimNames.SUBJECT, ClaimNames.AUDIENCE, ClaimNames.EXPIRES,
                ClaimNames.ISSUED_AT, ClaimNames.NOT_BEFORE, ClaimNames.JWT_ID, ClaimNames.CLIENT_ID, ClaimNames.SCOPE,
                ClaimNames.SESSION, ClaimNames.TASK, ClaimNames.TIER, ClaimNames.ACTOR))
                .containsExactly("iss", "sub", "aud", "exp", "iat", "nbf", "jti", "client_id", "scope", "sid", "task",
                        "tier", "act");
        assertThat(ClaimNames.TYPE).isEqualTo("at+jwt");
    }

    @Test
    void toMapUsesClaimNamesEpochSecondsAndASpaceJoinedScope() {
        Map<String, Object> m = claims("tsk_1", null).toMap();

        assertThat(m.keySet()).containsExactly(ClaimNames.ISSUER, ClaimNames.SUBJECT, ClaimNames.AUDIENCE,
                ClaimNames.EXPIRES, ClaimNames.ISSUED_AT, ClaimNames.NOT_BEFORE, ClaimNames.JWT_ID, ClaimNames.CLIENT_ID,
                ClaimNames.SCOPE, ClaimNames.SESSION, ClaimNames.TASK, ClaimNames.TIER);
        assertThat(m).containsEntry(ClaimNames.ISSUER, "https://mayfly.example")
                .containsEntry(ClaimNames.SUBJECT, "agt_123")
                .containsEntry(ClaimNames.AUDIENCE, List.of("https://api.example"))
                .containsEntry(ClaimNames.EXPIRES, EXP.getEpochSecond())
                .containsEntry(ClaimNames.ISSUED_AT, IAT.getEpochSecond())
                .containsEntry(ClaimNames.NOT_BEFORE, IAT.getEpochSecond())
                .containsEntry(ClaimNames.JWT_ID, "jti_abc")
                .containsEntry(ClaimNames.CLIENT_ID, "agt_123")
                .containsEntry(ClaimNames.SCOPE, "repo:read payments:refund")
                .containsEntry(ClaimNames.SESSION, "ses_9")
                .containsEntry(ClaimNames.TASK, "tsk_1")
                .containsEntry(ClaimNames.TIER, "high");
        // epoch seconds, fractions dropped (not rounded), as a long
        assertThat(m.get(ClaimNames.EXPIRES)).isInstanceOf(Long.class).isEqualTo(1795356900L);
        assertThat(m.get(ClaimNames.ISSUED_AT)).isEqualTo(1795356300L);
    }

    @Test
    void jsonFormHasNumericTimesAndStringScope() throws Exception {
        JsonNode t = new ObjectMapper().readTree(Json.write(claims(null, null).toMap()));
        assertThat(t.get("exp").isIntegralNumber()).isTrue();
        assertThat(t.get("exp").asLong()).isEqualTo(1795356900L);
        assertThat(t.get("scope").isTextual()).isTrue();
        assertThat(t.get("aud").isArray()).isTrue();
        assertThat(t.has("act")).isFalse();
    }

    @Test
    void actOnlyWhenPresent() {
        assertThat(claims(null, null).toMap()).doesNotContainKey(ClaimNames.ACTOR);

        Map<String, Object> actor = new HashMap<>(Map.of("sub", "agt_parent", "act", Map.of("sub", "usr_alice")));
        AccessTokenClaims delegated = claims(null, actor);
        actor.put("sub", "agt_mutated");
        Map<String, Object> m = delegated.toMap();
        assertThat(m).containsKey(ClaimNames.ACTOR);
        assertThat(m.keySet()).last().isEqualTo(ClaimNames.ACTOR);
        @SuppressWarnings("unchecked")
        Map<String, Object> act = (Map<String, Object>) m.get(ClaimNames.ACTOR);
        assertThat(act).containsEntry("sub", "agt_parent").containsEntry("act", Map.of("sub", "usr_alice"));
    }

    @Test
    void optionalClaimsAreNullWhenAbsent() {
        AccessTokenClaims c = new AccessTokenClaims("iss", "sub", List.of(), EXP, null, null, "jti", null, List.of(),
                "ses", null, null, null);
        Map<String, Object> m = c.toMap();
        assertThat(m).containsEntry(ClaimNames.SCOPE, "").containsEntry(ClaimNames.AUDIENCE, List.of());
        assertThat(m.get(ClaimNames.ISSUED_AT)).isNull();
        assertThat(m.get(ClaimNames.NOT_BEFORE)).isNull();
        assertThat(m.get(ClaimNames.TIER)).isNull();
        assertThat(m.get(ClaimNames.TASK)).isNull();
        assertThat(c.isTaskToken()).isFalse();
        assertThat(claims("tsk_1", null).isTaskToken()).isTrue();
    }

    @Test
    void remainingCountsDownAndNeverGoesNegative() {
        AccessTokenClaims c = claims(null, null);
        ManualClock clock = new ManualClock(IAT);
        assertThat(c.remaining(clock.instant())).isEqualTo(Duration.between(IAT, EXP));
        clock.advance(Duration.ofMinutes(10));
        assertThat(c.remaining(clock.instant())).isEqualTo(Duration.ofMillis(99));
        clock.set(EXP);
        assertThat(c.remaining(clock.instant())).isEqualTo(Duration.ZERO);
        clock.advance(Duration.ofNanos(1));
        assertThat(c.remaining(clock.instant())).isEqualTo(Duration.ZERO);
        clock.advance(Duration.ofDays(3));
        assertThat(c.remaining(clock.instant())).isEqualTo(Duration.ZERO);
    }

    @Test
    void listsAreCopied() {
        List<String> aud = new ArrayList<>(List.of("https://api.example"));
        List<String> scopes = new ArrayList<>(List.of("a"));
        AccessTokenClaims c = new AccessTokenClaims("iss", "sub", aud, EXP, IAT, IAT, "jti", "cid", scopes, "ses",
                null, Tier.LOW, null);
        aud.add("https://evil.example");
        scopes.add("mayfly:admin");
        assertThat(c.audience()).containsExactly("https://api.example");
        assertThat(c.scopes()).containsExactly("a");
        assertThat(c.toMap()).containsEntry(ClaimNames.SCOPE, "a");
    }
}
