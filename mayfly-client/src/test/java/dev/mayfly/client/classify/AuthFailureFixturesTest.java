package dev.mayfly.client.classify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.core.json.Json;
import dev.mayfly.core.time.ManualClock;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpHeaders;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Table-driven from the language-neutral vectors in {@code spec/auth-failures/} at the repository root, which
 * the Python and TypeScript clients run too: one file per response format, each case a response written
 * from that vendor's documentation (the file names its sources), what the client sent, and the expected
 * classification. Every file in the directory runs, so a new vendor case is one JSON file. Time stands at
 * {@link #NOW}; "past" tokens expired at 13:55, "future" ones expire at 14:10.
 */
class AuthFailureFixturesTest {
    static final Instant NOW = Instant.parse("2026-11-22T14:00:00Z");
    /** Formats that must be present: a vector directory that lost one is a broken checkout, not a pass. */
    static final List<String> REQUIRED = List.of("mayfly", "oauth", "bearer", "dpop", "aws", "azure", "google",
            "github", "kubernetes", "vault", "fallback", "gateways", "presigned", "azure-data", "jose",
            "identity-providers");

    final AuthFailureClassifier classifier = AuthFailureClassifier.builder()
            .clock(new ManualClock(NOW)).clockSkew(Duration.ofSeconds(30)).build();

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        List<Path> files = vectorFiles();
        List<String> formats = new ArrayList<>();
        files.forEach(f -> formats.add(f.getFileName().toString().replaceFirst("\\.json$", "")));
        assertThat(formats).containsAll(REQUIRED);
        for (Path path : files) {
            String format = path.getFileName().toString().replaceFirst("\\.json$", "");
            JsonNode file = load(path);
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
        // The catalog code every client reports (null: classified, but not an auth failure it can name).
        JsonNode mayflyCode = expect.get("mayfly_code");
        assertThat(mayflyCode).as("every expectation names its catalog code").isNotNull();
        assertThat(f.kind().errorCode() == null ? null : f.kind().errorCode().name())
                .isEqualTo(mayflyCode.isNull() ? null : mayflyCode.asText());
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

    /** The vector files, found by walking up from the module directory to the repository root. */
    static List<Path> vectorFiles() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path spec = dir.resolve("spec").resolve("auth-failures");
            if (Files.isDirectory(spec)) {
                try (Stream<Path> list = Files.list(spec)) {
                    return list.filter(p -> p.toString().endsWith(".json")).sorted().collect(Collectors.toList());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        throw new AssertionError("spec/auth-failures/ not found above " + Path.of("").toAbsolutePath());
    }

    static JsonNode load(Path path) {
        try (InputStream in = Files.newInputStream(path)) {
            return Json.mapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
