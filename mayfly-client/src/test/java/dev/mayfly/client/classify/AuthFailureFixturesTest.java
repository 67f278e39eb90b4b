package dev.mayfly.client.classify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.core.json.Json;
import dev.mayfly.core.time.ManualClock;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Table-driven: one fixture file per response format under {@code fixtures/auth-failures/}, each case a
 * response written from that vendor's documentation (the file names its sources), what the client sent,
 * and the expected classification. Time stands at {@link #NOW}; "past" tokens expired at 13:55, "future"
 * ones expire at 14:10.
 */
class AuthFailureFixturesTest {
    static final Instant NOW = Instant.parse("2026-11-22T14:00:00Z");
    static final List<String> FORMATS = List.of("mayfly", "oauth", "bearer", "dpop", "aws", "azure", "google", "github",
            "kubernetes", "vault", "fallback");

    final AuthFailureClassifier classifier = AuthFailureClassifier.builder()
            .clock(new ManualClock(NOW)).clockSkew(Duration.ofSeconds(30)).build();

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (String format : FORMATS) {
            JsonNode file = load(format);
            assertThat(file.get("sources").size()).as(format + " names its sources").isPositive();
            for (JsonNode c : file.get("cases")) {
                out.add(Arguments.of(format + ": " + c.get("name").asText(), c));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void classifiesAsDocumented(String name, JsonNode c) {
        Optional<AuthFailure> result = classifier.classify(c.get("status").asInt(), headers(c.get("headers")),
                c.get("body").asText(), sent(c.get("sent")));
        JsonNode expect = c.get("expect");
        if (expect == null || expect.isNull()) {
            assertThat(result).as("not a failure").isEmpty();
            return;
        }
        assertThat(result).isPresent();
        AuthFailure f = result.get();
        assertThat(f.kind().name()).as("kind of " + f).isEqualTo(expect.get("kind").asText());
        assertThat(f.status()).isEqualTo(c.get("status").asInt());
        if (expect.has("retryable")) {
            assertThat(f.retryable()).as("retryable of " + f).isEqualTo(expect.get("retryable").asBoolean());
        }
        if (expect.has("recovery")) {
            assertThat(f.recovery().name()).as("recovery of " + f).isEqualTo(expect.get("recovery").asText());
        }
        if (expect.has("format")) {
            assertThat(f.format().name()).as("format of " + f).isEqualTo(expect.get("format").asText());
        }
        if (expect.has("code")) {
            assertThat(f.code()).as("code of " + f).contains(expect.get("code").asText());
        }
        if (expect.has("expired_at")) {
            assertThat(f.expiredAt()).contains(Instant.parse(expect.get("expired_at").asText()));
        }
        if (expect.has("required_scope")) {
            assertThat(f.requiredScope()).contains(expect.get("required_scope").asText());
        }
        if (expect.has("missing_scopes")) {
            List<String> missing = new ArrayList<>();
            expect.get("missing_scopes").forEach(m -> missing.add(m.asText()));
            assertThat(f.missingScopes()).isEqualTo(missing);
        }
        if (expect.has("retry_after_ms")) {
            assertThat(f.retryAfter()).contains(Duration.ofMillis(expect.get("retry_after_ms").asLong()));
        }
        if (expect.has("dpop_nonce")) {
            assertThat(f.dpopNonce()).contains(expect.get("dpop_nonce").asText());
        }
        if (expect.has("claims")) {
            assertThat(f.claimsChallenge()).contains(expect.get("claims").asText());
        }
        if (expect.has("reauth_command")) {
            JsonNode rc = expect.get("reauth_command");
            assertThat(f.reauthCommand()).isEqualTo(rc.isNull() ? Optional.empty() : Optional.of(rc.asText()));
        }
        // Invariants of every classification.
        if (f.kind() == AuthFailure.Kind.UNKNOWN || f.kind() == AuthFailure.Kind.DENIED
                || f.kind() == AuthFailure.Kind.REVOKED || f.kind() == AuthFailure.Kind.MISSING) {
            assertThat(f.retryable()).as("never retried automatically: " + f).isFalse();
        }
        assertThat(f.toError().code().name()).isNotBlank();
    }

    static HttpHeaders headers(JsonNode node) {
        Map<String, List<String>> map = new LinkedHashMap<>();
        if (node != null) {
            node.properties().forEach(e -> {
                List<String> values = new ArrayList<>();
                if (e.getValue().isArray()) {
                    e.getValue().forEach(v -> values.add(v.asText()));
                } else {
                    values.add(e.getValue().asText());
                }
                map.put(e.getKey(), values);
            });
        }
        return HttpHeaders.of(map, (a, b) -> true);
    }

    static SentCredential sent(JsonNode node) {
        if (node == null || node.isNull()) {
            return SentCredential.unknown();
        }
        if (node.isObject()) {
            return SentCredential.expiringAt(Instant.parse(node.get("exp").asText()));
        }
        switch (node.asText()) {
            case "none": return SentCredential.none();
            case "opaque": return SentCredential.opaqueToken();
            default: return SentCredential.unknown();
        }
    }

    static JsonNode load(String format) {
        String path = "/fixtures/auth-failures/" + format + ".json";
        try (InputStream in = AuthFailureFixturesTest.class.getResourceAsStream(path)) {
            assertThat(in).as(path).isNotNull();
            return Json.mapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
