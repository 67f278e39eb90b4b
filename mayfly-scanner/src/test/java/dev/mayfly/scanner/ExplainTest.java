package dev.mayfly.scanner;

import static dev.mayfly.scanner.Fixtures.fingerprint;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mayfly.core.secret.SecretKind;
import dev.mayfly.scanner.rules.BuiltinRules;
import dev.mayfly.scanner.report.ReportWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** {@code explain}: every match a rule refused comes back with its reason, and never the secret. */
class ExplainTest {
    private static final SecretScanner EXPLAINING = SecretScanner.builder().explain(true).build();

    @Test
    void an_identifier_under_a_key_name_is_suppressed_as_an_identifier() {
        ScanResult r = EXPLAINING.scan("lookup key=cache:2204875a296b hit\n", "app.log");

        assertThat(r.findings()).isEmpty();
        assertThat(r.suppressed()).singleElement().satisfies(s -> {
            assertThat(s.candidate().ruleId()).isEqualTo(BuiltinRules.GENERIC);
            assertThat(s.candidate().line()).isEqualTo(1);
            assertThat(s.candidate().column()).isEqualTo(12);
            assertThat(s.reason()).startsWith("an identifier");
        });
    }

    @Test
    void a_bad_checksum_and_a_placeholder_say_which_they_are() {
        String bad = Fixtures.mayflyBadChecksum(SecretKind.REFRESH_TOKEN, 1);
        ScanResult r = EXPLAINING.scan("rt " + bad + "\npg postgres://app:${DB_PASSWORD}@db/app\n", "app.log");

        assertThat(r.findings()).isEmpty();
        assertThat(r.suppressed()).extracting(Suppression::reason)
                .contains("the CRC32 checksum does not verify", "placeholder marker \"${\"");
        assertThat(r.suppressed()).allSatisfy(s -> {
            assertThat(s.toMap().toString()).doesNotContain(bad);
            assertThat(s.candidate().isMayfly()).isFalse();
        });
        assertThat(r.mayflySecrets()).isEmpty();
    }

    @Test
    void suppressions_go_into_the_json_and_text_reports_but_not_the_findings() throws Exception {
        String pw = "Zr8!mq4Tw";
        ScanResult r = EXPLAINING.scan("password: " + pw + "\nkey: 123e4567-e89b-12d3-a456-426614174000\n", "a.env");

        assertThat(r.findings()).extracting(Finding::fingerprint).containsExactly(fingerprint(pw));
        assertThat(r.toMap()).containsKey("suppressed");
        assertThat(((java.util.Map<?, ?>) r.toMap().get("summary")).get("suppressed")).isEqualTo(r.suppressed().size());
        StringWriter text = new StringWriter();
        ReportWriter.textLines().write(r, text);
        assertThat(text.toString()).contains("suppressed: a.env:2:6  generic-api-key").doesNotContain(pw);
    }

    @Test
    void without_explain_nothing_is_kept_and_the_report_has_no_suppressed_member() {
        ScanResult r = SecretScanner.create().scan("key=cache:2204875a296b\n", "app.log");

        assertThat(r.suppressed()).isEmpty();
        assertThat(r.toMap()).doesNotContainKey("suppressed");
    }

    @Test
    void merged_results_keep_every_suppression() {
        ScanResult a = EXPLAINING.scan("key=cache:2204875a296b\n", "a.log");
        ScanResult b = EXPLAINING.scan("key=cache:99aa00bb11cc22\n", "b.log");

        assertThat(ScanResult.merge(java.util.List.of(a, b)).suppressed()).hasSize(2);
    }
}
