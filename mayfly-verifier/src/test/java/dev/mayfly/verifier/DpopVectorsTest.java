package dev.mayfly.verifier;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.core.json.Json;
import dev.mayfly.core.time.ManualClock;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs the language-neutral DPoP vectors ({@code spec/dpop/proofs.json} at the repository root, format in
 * {@code spec/README.md}) through {@link TokenVerifier#verifyRequest}: the Python and TypeScript verifiers run the
 * same file, so the three agree on every accepted and refused presentation. Each case gets a fresh verifier (an
 * empty replay cache) on a clock pinned at the case's {@code now}.
 */
class DpopVectorsTest {
    static final JsonNode VECTORS = load(vectorFile());

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (JsonNode c : VECTORS.get("cases")) {
            out.add(Arguments.of(c.get("name").asText(), c));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theJavaVerifierReachesTheVectorsVerdict(String name, JsonNode c) {
        TokenVerifier verifier = TokenVerifier.builder()
                .issuer(VECTORS.get("issuer").asText())
                .audience(VECTORS.get("audience").asText())
                .jwks(JwksSource.ofJson(() -> VECTORS.get("jwks").toString()))
                .clock(new ManualClock(Instant.parse(c.get("now").asText())))
                .build();
        List<String> proofs = new ArrayList<>();
        c.get("dpop").forEach(p -> proofs.add(p.asText()));

        Decision d = verifier.verifyRequest(c.get("authorization").asText(), proofs, c.get("method").asText(),
                c.get("url").asText(), List.of());

        JsonNode expect = c.get("expect");
        if (expect.get("accept").asBoolean()) {
            assertThat(d.allowed()).as("%s: %s", name, d).isTrue();
            assertThat(d.claims().boundKey()).isEqualTo(expect.get("jkt").asText());
            return;
        }
        assertThat(d.allowed()).as(name).isFalse();
        assertThat(d.error().code().name()).as(name).isEqualTo(expect.get("code").asText());
        assertThat(d.error().message()).as(name).contains(expect.get("message").asText());
        String challenge = AuthFailureResponse.of(d.error(), "req_vectors", 0).headers().get("WWW-Authenticate");
        assertThat(challenge).as(name)
                .startsWith("DPoP realm=")
                .contains("error=\"" + expect.get("dpop_error").asText() + "\"")
                .contains("algs=\"");
    }

    /** The vector file, found by walking up from the module directory to the repository root. */
    static Path vectorFile() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path file = dir.resolve("spec").resolve("dpop").resolve("proofs.json");
            if (Files.isRegularFile(file)) {
                return file;
            }
        }
        throw new AssertionError("spec/dpop/proofs.json not found above " + Path.of("").toAbsolutePath());
    }

    static JsonNode load(Path path) {
        try (InputStream in = Files.newInputStream(path)) {
            return Json.mapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
