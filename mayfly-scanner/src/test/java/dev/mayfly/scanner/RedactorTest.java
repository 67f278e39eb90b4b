package dev.mayfly.scanner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.core.json.Json;
import dev.mayfly.core.secret.SecretKind;
import dev.mayfly.scanner.rules.GitleaksRules;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Redaction masks every secret, leaves everything else alone and keeps JSON parseable. */
class RedactorTest {
    private static final String RT = Fixtures.mayfly(SecretKind.REFRESH_TOKEN, 31);
    private static final String CS = Fixtures.mayfly(SecretKind.CLIENT_SECRET, 32);
    private static final String GHP = Fixtures.github("ghp_", 33);
    private static final String PEM = Fixtures.pem("PRIVATE KEY", Fixtures.derSequence(600, 34));
    private static final Redactor REDACTOR = SecretScanner.create().redactor();

    @Test
    void masks_secrets_and_keeps_the_rest() {
        String text = "login ok refresh=" + RT + " user=alice\nGITHUB_TOKEN=" + GHP + "\n";

        assertThat(REDACTOR.redact(text))
                .isEqualTo("login ok refresh=mfy_rt_******** user=alice\nGITHUB_TOKEN=ghp_********\n");
    }

    @Test
    void clean_text_is_unchanged() {
        String text = "nothing here {\"a\": [1, 2, \"b\"]}\n\u00e9t\u00e9 \ud83d\ude00\n";

        assertThat(REDACTOR.redact(text)).isEqualTo(text);
    }

    @Test
    void json_stays_valid_whatever_the_encoding_the_secret_was_in() throws Exception {
        String inner = "{\"password\":\"Tr0ub4dor&3x\",\"refresh\":\"\\u006d" + RT.substring(1) + "\"}";
        String json = "{\n"
                + "  \"token\": \"" + RT + "\",\n"
                + "  \"nested\": \"" + Fixtures.jsonEscape(inner) + "\",\n"
                + "  \"key\": \"" + Fixtures.jsonEscape(PEM) + "\",\n"
                + "  \"basic\": \"Basic " + Fixtures.b64("agt_1:" + CS) + "\",\n"
                + "  \"url\": \"https://x/cb?t=" + RT.replace("_", "%5F") + "&y=1\",\n"
                + "  \"list\": [\"" + GHP + "\", 3]\n"
                + "}\n";

        String redacted = REDACTOR.redact(json);

        JsonNode tree = Json.mapper().readTree(redacted);
        assertThat(tree.get("token").asText()).isEqualTo("mfy_rt_********");
        assertThat(tree.get("list").get(0).asText()).isEqualTo("ghp_********");
        assertThat(tree.get("key").asText()).isEqualTo("-----BEGIN PRIVATE KEY-----********");
        assertThat(Json.mapper().readTree(tree.get("nested").asText()).get("password").asText()).isEqualTo("********");
        assertThat(redacted).doesNotContain(RT, RT.substring(1), CS, GHP, "Tr0ub4dor", PEM.substring(30, 60),
                Fixtures.b64("agt_1:" + CS).substring(8), RT.substring(7));
    }

    @Test
    void streamed_pieces_are_each_masked_and_every_line_stays_valid_json() throws Exception {
        StringBuilder jsonl = new StringBuilder();
        for (String p : LlmStreamTest.split("use " + RT + " now", 6, 15, 27, 39)) {
            jsonl.append("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"").append(p).append("\"}}]}\n");
        }

        String redacted = REDACTOR.redact(jsonl);

        StringBuilder content = new StringBuilder();
        for (String line : redacted.split("\n")) {
            content.append(Json.mapper().readTree(line).at("/choices/0/delta/content").asText());
        }
        // "mf" is the first piece of the secret: masked like the rest
        assertThat(content.toString()).isEqualTo("use ******** now");
        assertThat(redacted).doesNotContain(RT.substring(6, 15), RT.substring(15, 27));
    }

    @Test
    void a_whole_match_secret_with_quotes_is_masked_without_breaking_json() throws Exception {
        SecretScanner scanner = SecretScanner.builder().rules(GitleaksRules.parse("""
                [[rules]]
                id = "quoted-password"
                regex = '''"password":\\s*"[^"]{6,}"'''
                """)).build();
        String json = "{\"user\":\"a\",\"password\": \"hunter2hunter2\",\"n\":1}";

        String redacted = scanner.redactor().redact(json);

        assertThat(redacted).isEqualTo("{\"user\":\"a\",\"********\": \"**************\",\"n\":1}");
        assertThat(Json.mapper().readTree(redacted).size()).isEqualTo(3);
    }

    @Test
    void streams_give_the_same_output_as_strings_in_bounded_windows() throws Exception {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 3000; i++) {
            text.append("{\"i\":").append(i).append(",\"msg\":\"step ").append(i).append("\"");
            if (i % 97 == 0) {
                text.append(",\"token\":\"").append(Fixtures.mayfly(SecretKind.REFRESH_TOKEN, i)).append("\"");
            }
            text.append("}\n");
        }
        Redactor small = SecretScanner.builder().chunkSize(1000).build().redactor();
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        small.redact(new ByteArrayInputStream(text.toString().getBytes(StandardCharsets.UTF_8)), out);

        String streamed = out.toString(StandardCharsets.UTF_8);
        assertThat(streamed).isEqualTo(REDACTOR.redact(text));
        assertThat(streamed).doesNotContain(Fixtures.mayfly(SecretKind.REFRESH_TOKEN, 97));
        assertThat(streamed.lines()).hasSize(3000).allSatisfy(l -> Json.mapper().readTree(l));
    }

    /** Strings get buffers sized to their length; every length around those sizes masks as a stream does. */
    @Test
    void strings_of_every_size_around_the_buffer_sizes_mask_as_streams_do() throws Exception {
        for (int length : new int[] {0, 1, 15, 16, 17, 60, 8191, 8192, 8193, 16_500, 70_000}) {
            StringBuilder text = new StringBuilder();
            int i = 0;
            while (text.length() < length) {
                text.append(i % 7 == 3 ? "token=" + Fixtures.mayfly(SecretKind.REFRESH_TOKEN, i) + " " : "word" + i + " ");
                i++;
            }
            text.setLength(length);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            REDACTOR.redact(new ByteArrayInputStream(text.toString().getBytes(StandardCharsets.UTF_8)), out);

            assertThat(REDACTOR.redact(text)).as("length %d", length).isEqualTo(out.toString(StandardCharsets.UTF_8));
            if (length >= 8191) {
                assertThat(REDACTOR.redact(text)).doesNotContain(Fixtures.mayfly(SecretKind.REFRESH_TOKEN, 3));
            }
        }
    }
}
