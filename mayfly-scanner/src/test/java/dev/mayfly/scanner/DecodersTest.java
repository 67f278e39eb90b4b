package dev.mayfly.scanner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mayfly.core.secret.SecretKind;
import dev.mayfly.scanner.rules.BuiltinRules;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

/** Secrets inside encodings are found and mapped back to the original line and column. */
class DecodersTest {
    private static final SecretScanner SCANNER = SecretScanner.create();
    private static final String RT = Fixtures.mayfly(SecretKind.REFRESH_TOKEN, 11);
    private static final String CS = Fixtures.mayfly(SecretKind.CLIENT_SECRET, 12);

    @Test
    void json_unicode_escapes_are_undone() {
        String escaped = "\\u006d\\u0066y" + RT.substring(3);
        String text = "{\"level\":\"info\"}\n{\"refresh\":\"" + escaped + "\"}\n";

        Finding f = only(SCANNER.scan(text, "app.log"));

        assertThat(f.ruleId()).isEqualTo(BuiltinRules.MAYFLY_REFRESH_TOKEN);
        assertThat(f.decodedFrom()).containsExactly(Decoding.JSON_STRING);
        assertThat(f.line()).isEqualTo(2);
        assertThat(f.column()).isEqualTo(13);
        assertThat(f.endColumn()).isEqualTo(12 + escaped.length());
    }

    @Test
    void json_inside_a_json_string_inside_a_json_string() {
        String inner = "{\"auth\":{\"password\":\"Tr0ub4dor&3x\",\"refresh\":\"\\u006d" + RT.substring(1) + "\"}}";
        String middle = "{\"request\":\"" + Fixtures.jsonEscape(inner) + "\"}";
        String outer = "{\"ts\":1,\"msg\":\"" + Fixtures.jsonEscape(middle) + "\"}";

        ScanResult result = SCANNER.scan("first line\n" + outer + "\n", "agent.jsonl");

        assertThat(result.findings()).extracting(Finding::ruleId).containsExactly(
                BuiltinRules.GENERIC, BuiltinRules.MAYFLY_REFRESH_TOKEN);
        assertThat(result.findings()).allSatisfy(f -> assertThat(f.line()).isEqualTo(2));
        assertThat(result.findings().get(0).decodedFrom()).containsExactly(Decoding.JSON_STRING, Decoding.JSON_STRING);
        // the \u006d inside the innermost document is a third level of escaping
        assertThat(result.findings().get(1).decodedFrom())
                .containsExactly(Decoding.JSON_STRING, Decoding.JSON_STRING, Decoding.JSON_STRING);
        assertThat(result.findings().get(0).column()).isEqualTo(outer.indexOf("Tr0ub4dor") + 1);
        assertThat(result.findings().get(1).column()).isEqualTo(outer.indexOf("\\\\\\\\u006d") + 1);
    }

    @Test
    void private_key_in_a_json_string_with_escaped_newlines() {
        String pem = Fixtures.pem("RSA PRIVATE KEY", Fixtures.derSequence(1190, 3));
        String text = "{\"type\": \"service_account\",\n \"private_key\": \"" + Fixtures.jsonEscape(pem) + "\"}\n";

        Finding f = only(SCANNER.scan(text, "sa.json"));

        assertThat(f.ruleId()).isEqualTo(BuiltinRules.PRIVATE_KEY);
        assertThat(f.decodedFrom()).containsExactly(Decoding.JSON_STRING);
        assertThat(f.line()).isEqualTo(2);
        assertThat(f.column()).isEqualTo(18);
        assertThat(f.endLine()).isEqualTo(2);
        assertThat(f.fingerprint()).isEqualTo(Fixtures.fingerprint(pem));
    }

    @Test
    void base64_in_authorization_basic() {
        String basic = Fixtures.b64("agt_7Hd2k:" + CS);
        String text = "GET /v1/whoami HTTP/1.1\r\nHost: broker\r\nAuthorization: Basic " + basic + "\r\n\r\n";

        Finding f = only(SCANNER.scan(text, "capture.txt"));

        assertThat(f.ruleId()).isEqualTo(BuiltinRules.MAYFLY_CLIENT_SECRET);
        assertThat(f.isMayfly()).isTrue();
        assertThat(f.decodedFrom()).containsExactly(Decoding.BASE64);
        assertThat(f.line()).isEqualTo(3);
        // "agt_7Hd2k:" is 10 bytes: the secret starts in the quad of bytes 9..11, characters 12..15
        assertThat(f.column()).isEqualTo("Authorization: Basic ".length() + 12 + 1);
    }

    @Test
    void kubernetes_secret_data_is_base64() {
        String yaml = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: agent\ntype: Opaque\ndata:\n"
                + "  client_id: " + Fixtures.b64("agt_7Hd2k") + "\n"
                + "  client_secret: " + Fixtures.b64(CS) + "\n";

        Finding f = only(SCANNER.scan(yaml, "secret.yaml"));

        assertThat(f.ruleId()).isEqualTo(BuiltinRules.MAYFLY_CLIENT_SECRET);
        assertThat(f.line()).isEqualTo(8);
        assertThat(f.column()).isEqualTo("  client_secret: ".length() + 1);
    }

    @Test
    void base64url_without_padding() {
        String payload = "??>>~~ refresh=" + RT;
        String encoded = Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes(StandardCharsets.UTF_8));
        assertThat(encoded).containsAnyOf("-", "_");

        Finding f = only(SCANNER.scan("state=" + encoded + "&x=1", "url.txt"));

        assertThat(f.ruleId()).isEqualTo(BuiltinRules.MAYFLY_REFRESH_TOKEN);
        assertThat(f.decodedFrom()).containsExactly(Decoding.BASE64);
    }

    @Test
    void base64_with_json_escaped_slashes() {
        String blob = Fixtures.b64("{\"k\":\"\u00ff\u00ff\u00ff\",\"t\":\"" + RT + "\"}");
        assertThat(blob).contains("/");
        String text = "{\"blob\":\"" + blob.replace("/", "\\/") + "\"}";

        Finding f = only(SCANNER.scan(text, "x.json"));

        assertThat(f.decodedFrom()).containsExactly(Decoding.JSON_STRING, Decoding.BASE64);
    }

    @Test
    void percent_encoding() {
        String encoded = RT.replace("_", "%5F");
        String text = "GET /callback?code=abc&refresh_token=" + encoded + "&state=xyz HTTP/1.1";

        Finding f = only(SCANNER.scan(text, "access.log"));

        assertThat(f.ruleId()).isEqualTo(BuiltinRules.MAYFLY_REFRESH_TOKEN);
        assertThat(f.decodedFrom()).containsExactly(Decoding.PERCENT);
        assertThat(f.column()).isEqualTo(text.indexOf("mfy%5F") + 1);
        assertThat(f.endColumn()).isEqualTo(text.indexOf("&state") );
    }

    @Test
    void a_decoded_character_just_before_a_match_counts() {
        // Undecoded, "%3DAKIA…" and "\\nAKIA…" fail the rule's (?<![A-Za-z0-9]); decoded they are "=AKIA…"
        // and a line break before it, which the parent view does not have.
        String key = "AKIA" + Fixtures.random(Fixtures.BASE32_AWS, 16, 21);
        String percent = "GET /cb?next=AWS_ACCESS_KEY_ID%3D" + key + "&lang=en 302";
        String json = "{\"msg\":\"credentials:\\n" + key + "\\n\"}";

        assertThat(only(SCANNER.scan(percent, "access.log")).decodedFrom()).containsExactly(Decoding.PERCENT);
        Finding f = only(SCANNER.scan(json, "app.jsonl"));
        assertThat(f.decodedFrom()).containsExactly(Decoding.JSON_STRING);
        assertThat(f.column()).isEqualTo(json.indexOf(key) + 1);
    }

    @Test
    void an_escape_made_by_another_decoding_is_decoded() {
        // percent-decoding makes a JSON escape (%5C is a backslash), and a percent escape (%25 is a %)
        String viaJson = "GET /cb?refresh=%5Cu006d" + RT.substring(1) + " 200";
        String viaPercent = "GET /cb?refresh=mfy%255F" + RT.substring(4) + " 200";

        assertThat(only(SCANNER.scan(viaJson, "access.log")).decodedFrom())
                .containsExactly(Decoding.PERCENT, Decoding.JSON_STRING);
        assertThat(only(SCANNER.scan(viaPercent, "access.log")).decodedFrom())
                .containsExactly(Decoding.PERCENT, Decoding.PERCENT);
    }

    @Test
    void nesting_beyond_the_depth_bound_is_not_decoded() {
        String text = Fixtures.b64(Fixtures.b64(Fixtures.b64("token=" + RT)));
        SecretScanner shallow = SecretScanner.builder().decodeDepth(2).build();

        assertThat(shallow.scan(text, "x").findings()).isEmpty();
        assertThat(SCANNER.scan(text, "x").findings()).singleElement().satisfies(
                f -> assertThat(f.decodedFrom()).containsExactly(Decoding.BASE64, Decoding.BASE64, Decoding.BASE64));
    }

    @Test
    void decoders_can_be_turned_off() {
        SecretScanner plain = SecretScanner.builder().decodings(EnumSet.noneOf(Decoding.class)).build();

        assertThat(plain.scan("Authorization: Basic " + Fixtures.b64("a:" + CS), "x").findings()).isEmpty();
        assertThat(plain.scan(RT, "x").findings()).hasSize(1);
    }

    @Test
    void binary_base64_is_passed_over() {
        byte[] bytes = new byte[3000];
        new java.util.Random(5).nextBytes(bytes);
        String text = "image: " + Base64.getEncoder().encodeToString(bytes) + "\n";

        assertThat(SCANNER.scan(text, "x").findings()).isEmpty();
    }

    private static Finding only(ScanResult result) {
        assertThat(result.findings()).hasSize(1);
        return result.findings().get(0);
    }
}
