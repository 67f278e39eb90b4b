package dev.mayfly.core.envelope;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyError;
import dev.mayfly.core.json.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class EnvelopeTest {
    /** An independent mapper, so the test does not read back with the configuration it is checking. */
    private static final ObjectMapper READER = new ObjectMapper();

    private static JsonNode tree(Envelope e) throws Exception {
        return READER.readTree(Json.write(e));
    }

    private static List<String> keys(JsonNode node) {
        List<String> out = new ArrayList<>();
        node.fieldNames().forEachRemaining(out::add);
        return out;
    }

    @Test
    void failureMatchesTheDesignExampleExactly() throws Exception {
        MayflyError error = MayflyError.builder(ErrorCode.CREDENTIALS_EXPIRED, "Access token expired at 2026-11-22T14:15:00Z.")
                .expiredAt(Instant.parse("2026-11-22T14:15:00.250Z"))
                .reauthCommand("mayfly auth refresh")
                .build();
        Envelope env = Envelope.failure(error, new Envelope.Meta(12, "req_abc"));

        // DESIGN §3.2, verbatim except for the request id.
        JsonNode expected = READER.readTree("""
                {"ok": false, "data": null,
                 "error": {"code": "CREDENTIALS_EXPIRED", "message": "Access token expired at 2026-11-22T14:15:00Z.",
                           "expired": true, "expired_at": "2026-11-22T14:15:00Z", "retryable": true,
                           "reauth_command": "mayfly auth refresh", "reauth_env_var": "MAYFLY_TOKEN"},
                 "warnings": [], "meta": {"duration_ms": 12, "request_id": "req_abc", "schema_version": "1"}}
                """);
        JsonNode actual = tree(env);

        assertThat(actual).isEqualTo(expected);
        assertThat(keys(actual)).containsExactly("ok", "data", "error", "warnings", "meta");
        assertThat(keys(actual.get("error"))).containsExactly(
                "code", "message", "expired", "expired_at", "retryable", "reauth_command", "reauth_env_var");
        assertThat(keys(actual.get("meta"))).containsExactly("duration_ms", "request_id", "schema_version");
        assertThat(env.exitCode()).isEqualTo(10);
        assertThat(env.ok()).isFalse();
    }

    @Test
    void failureSerialisesDataAsExplicitNull() throws Exception {
        JsonNode t = tree(Envelope.failure(MayflyError.of(ErrorCode.NOT_FOUND, "no such agent"),
                List.of("policy file is world-readable"), new Envelope.Meta(3, "req_1")));
        assertThat(t.has("data")).isTrue();
        assertThat(t.get("data").isNull()).isTrue();
        assertThat(t.get("ok").isBoolean()).isTrue();
        assertThat(t.get("ok").booleanValue()).isFalse();
        assertThat(t.get("error").get("code").asText()).isEqualTo("NOT_FOUND");
        assertThat(t.get("warnings").isArray()).isTrue();
        assertThat(t.get("warnings").get(0).asText()).isEqualTo("policy file is world-readable");
    }

    @Test
    void failureCanCarryDataAndStaysNotOk() throws Exception {
        MayflyError error = MayflyError.builder(ErrorCode.CONFLICT, "2 secrets found").detail("findings", 2).build();
        Envelope env = Envelope.failure(error, Map.of("clean", false), List.of("w"), new Envelope.Meta(7, "req_7"));
        JsonNode t = tree(env);
        assertThat(keys(t)).containsExactly("ok", "data", "error", "warnings", "meta");
        assertThat(t.get("ok").booleanValue()).isFalse();
        assertThat(t.at("/data/clean").isBoolean()).isTrue();
        assertThat(t.at("/data/clean").booleanValue()).isFalse();
        assertThat(t.at("/error/code").asText()).isEqualTo("CONFLICT");
        assertThat(t.at("/error/findings").asInt()).isEqualTo(2);
        assertThat(t.at("/warnings/0").asText()).isEqualTo("w");
        assertThat(env.ok()).isFalse();
        assertThat(env.exitCode()).isEqualTo(6);
        assertThat(env.data()).isEqualTo(Map.of("clean", false));
    }

    @Test
    void failureWithNullDataIsTheSameAsWithout() throws Exception {
        MayflyError error = MayflyError.of(ErrorCode.NOT_FOUND, "no such file");
        Envelope.Meta meta = new Envelope.Meta(1, "req_8");
        assertThat(tree(Envelope.failure(error, null, List.of(), meta))).isEqualTo(tree(Envelope.failure(error, meta)));
    }

    @Test
    void successSerialisesErrorAsExplicitNull() throws Exception {
        Envelope env = Envelope.success(Map.of("agent_id", "agt_1"), new Envelope.Meta(0, "req_2"));
        JsonNode t = tree(env);
        assertThat(keys(t)).containsExactly("ok", "data", "error", "warnings", "meta");
        assertThat(t.get("ok").booleanValue()).isTrue();
        assertThat(t.get("error").isNull()).isTrue();
        assertThat(t.get("data").get("agent_id").asText()).isEqualTo("agt_1");
        assertThat(t.get("warnings").isArray()).isTrue();
        assertThat(t.get("warnings")).isEmpty();
        assertThat(env.exitCode()).isZero();
    }

    @Test
    void successWithNullDataStillHasAllKeysAndIsOk() throws Exception {
        Envelope env = Envelope.success(null, new Envelope.Meta(5, "req_3"));
        JsonNode t = tree(env);
        assertThat(keys(t)).containsExactly("ok", "data", "error", "warnings", "meta");
        assertThat(t.get("data").isNull()).isTrue();
        assertThat(t.get("error").isNull()).isTrue();
        assertThat(t.get("ok").booleanValue()).isTrue();
        assertThat(env.exitCode()).isZero();
    }

    @Test
    void metaHasDurationRequestIdAndSchemaVersionOne() throws Exception {
        JsonNode meta = tree(Envelope.success("x", new Envelope.Meta(1234, "req_Zz9"))).get("meta");
        assertThat(keys(meta)).containsExactly("duration_ms", "request_id", "schema_version");
        assertThat(meta.get("duration_ms").isIntegralNumber()).isTrue();
        assertThat(meta.get("duration_ms").asLong()).isEqualTo(1234);
        assertThat(meta.get("request_id").asText()).isEqualTo("req_Zz9");
        assertThat(meta.get("schema_version").isTextual()).isTrue();
        assertThat(meta.get("schema_version").asText()).isEqualTo("1");
    }

    @Test
    void authErrorWithNullReauthCommandKeepsTheKeyOnTheWire() throws Exception {
        JsonNode error = tree(Envelope.failure(MayflyError.of(ErrorCode.CREDENTIALS_REVOKED, "The agent was revoked."),
                new Envelope.Meta(1, "req_4"))).get("error");
        assertThat(error.has("reauth_command")).isTrue();
        assertThat(error.get("reauth_command").isNull()).isTrue();
        assertThat(error.get("reauth_env_var").asText()).isEqualTo("MAYFLY_TOKEN");
    }

    @ParameterizedTest
    @EnumSource(ErrorCode.class)
    void okIsTrueExactlyWhenTheExitCodeIsZero(ErrorCode code) throws Exception {
        Envelope env = Envelope.failure(MayflyError.of(code, "m"), new Envelope.Meta(0, "req_5"));
        assertThat(env.ok()).isFalse();
        assertThat(env.exitCode()).isEqualTo(code.exitCode()).isNotZero();
        JsonNode t = tree(env);
        assertThat(t.get("ok").booleanValue()).isFalse();
        assertThat(t.get("data").isNull()).isTrue();
        assertThat(t.get("error").get("code").asText()).isEqualTo(code.name());
    }

    @Test
    void warningsAreCopied() {
        List<String> warnings = new ArrayList<>(List.of("w1"));
        Envelope env = Envelope.success("d", warnings, new Envelope.Meta(0, "req_6"));
        warnings.add("w2");
        assertThat(env.warnings()).containsExactly("w1");
    }
}
