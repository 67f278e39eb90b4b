package dev.mayfly.scanner.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.core.error.MayflyException;
import dev.mayfly.core.json.Json;
import dev.mayfly.core.secret.SecretKind;
import dev.mayfly.scanner.Fixtures;
import dev.mayfly.scanner.ScanResult;
import dev.mayfly.scanner.SecretScanner;
import dev.mayfly.scanner.rules.GitleaksRules;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every format is well-formed, carries the positions, and never a secret. */
class ReportWriterTest {
    private static final String RT = Fixtures.mayfly(SecretKind.REFRESH_TOKEN, 51);
    private static final String GHP = Fixtures.github("ghp_", 52);
    private static final String INPUT = "boot\nrefresh=" + RT + "\n{\"log\":\"GITHUB_TOKEN=" + GHP + "\"}\n"
            + "again " + RT + "\nAuthorization: Basic " + Fixtures.b64("a:" + RT) + "\n";
    private static final ScanResult RESULT = SecretScanner.create().scan(INPUT, "logs/my app.log");

    @Test
    void sarif_2_1_0_is_structurally_valid() throws Exception {
        JsonNode log = Json.mapper().readTree(ReportWriter.of(ReportFormat.SARIF).render(RESULT));

        assertThat(log.get("version").asText()).isEqualTo("2.1.0");
        assertThat(log.get("$schema").asText()).contains("sarif-2.1.0");
        assertThat(log.get("runs")).hasSize(1);
        JsonNode run = log.get("runs").get(0);
        JsonNode driver = run.at("/tool/driver");
        assertThat(driver.get("name").asText()).isEqualTo("mayfly-scanner");
        Set<String> ruleIds = new HashSet<>();
        for (JsonNode rule : driver.get("rules")) {
            assertThat(ruleIds.add(rule.get("id").asText())).isTrue();
            assertThat(rule.at("/shortDescription/text").asText()).isNotBlank();
        }
        assertThat(run.get("results")).hasSize(RESULT.findings().size());
        for (JsonNode result : run.get("results")) {
            int index = result.get("ruleIndex").asInt();
            assertThat(driver.get("rules").get(index).get("id").asText()).isEqualTo(result.get("ruleId").asText());
            assertThat(result.at("/message/text").asText()).isNotBlank();
            assertThat(result.get("level").asText()).isIn("none", "note", "warning", "error");
            JsonNode location = result.at("/locations/0/physicalLocation");
            assertThat(location.at("/artifactLocation/uri").asText()).isEqualTo("logs/my%20app.log");
            JsonNode region = location.get("region");
            assertThat(region.get("startLine").asInt()).isGreaterThanOrEqualTo(1);
            assertThat(region.get("startColumn").asInt()).isGreaterThanOrEqualTo(1);
            assertThat(region.get("endLine").asInt()).isGreaterThanOrEqualTo(region.get("startLine").asInt());
            if (region.get("endLine").asInt() == region.get("startLine").asInt()) {
                assertThat(region.get("endColumn").asInt()).isGreaterThan(region.get("startColumn").asInt());
            }
            assertThat(result.at("/partialFingerprints/secretSha256~1v1").asText()).hasSize(16);
        }
        assertThat(run.at("/invocations/0/executionSuccessful").asBoolean()).isTrue();
        assertThat(run.get("columnKind").asText()).isEqualTo("utf16CodeUnits");
    }

    @Test
    void sarif_region_matches_the_finding() throws Exception {
        JsonNode region = Json.mapper().readTree(ReportWriter.of(ReportFormat.SARIF).render(RESULT))
                .at("/runs/0/results/0/locations/0/physicalLocation/region");

        assertThat(region.get("startLine").asInt()).isEqualTo(2);
        assertThat(region.get("startColumn").asInt()).isEqualTo(9);
        assertThat(region.get("endColumn").asInt()).isEqualTo(9 + RT.length());
    }

    @Test
    void sarif_carries_scan_warnings_as_notifications() throws Exception {
        SecretScanner evil = SecretScanner.builder().regexStepsPerChar(10).rules(GitleaksRules.parse(
                "[[rules]]\nid = \"evil\"\nregex = '''(a+)+b'''\nkeywords = [\"aaa\"]\n")).build();
        ScanResult r = evil.scan("a".repeat(5000), "x");

        JsonNode notes = Json.mapper().readTree(ReportWriter.of(ReportFormat.SARIF).render(r))
                .at("/runs/0/invocations/0/toolExecutionNotifications");

        assertThat(notes).isNotEmpty();
        assertThat(notes.get(0).at("/descriptor/id").asText()).isEqualTo("regex_budget_exceeded");
    }

    @Test
    void gitleaks_json_has_gitleaks_fields() throws Exception {
        JsonNode array = Json.mapper().readTree(ReportWriter.of(ReportFormat.GITLEAKS).render(RESULT));

        assertThat(array.isArray()).isTrue();
        assertThat(array).hasSize(RESULT.findings().size());
        List<String> expected = List.of("RuleID", "Description", "StartLine", "EndLine", "StartColumn", "EndColumn",
                "Match", "Secret", "File", "SymlinkFile", "Commit", "Entropy", "Author", "Email", "Date", "Message",
                "Tags", "Fingerprint");
        JsonNode first = array.get(0);
        List<String> names = new java.util.ArrayList<>();
        first.fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactlyElementsOf(expected);
        assertThat(first.get("Secret").asText()).isEqualTo("mfy_rt_********");
        assertThat(first.get("Fingerprint").asText()).isEqualTo("logs/my app.log:mayfly-refresh-token:2");
    }

    @Test
    void json_and_text() throws Exception {
        JsonNode json = Json.mapper().readTree(ReportWriter.of(ReportFormat.JSON).render(RESULT));
        String text = ReportWriter.of(ReportFormat.TEXT).render(RESULT);

        assertThat(json.get("clean").asBoolean()).isFalse();
        assertThat(json.at("/summary/findings").asInt()).isEqualTo(RESULT.findings().size());
        assertThat(json.at("/summary/mayfly").asInt()).isEqualTo(3);
        assertThat(text).contains("logs/my app.log:2:9  mayfly-refresh-token  mfy_rt_********")
                .contains("[mayfly]").contains("via base64").endsWith(" in 1 source\n");
    }

    @Test
    void no_format_contains_a_secret() {
        for (ReportFormat f : ReportFormat.values()) {
            assertThat(ReportWriter.of(f).render(RESULT)).as(f.label())
                    .doesNotContain(RT, RT.substring(7), GHP, GHP.substring(4), Fixtures.b64("a:" + RT));
        }
    }

    @Test
    void format_names() {
        assertThat(ReportFormat.parse("SARIF")).isEqualTo(ReportFormat.SARIF);
        assertThat(ReportFormat.parse(" gitleaks ")).isEqualTo(ReportFormat.GITLEAKS);
        assertThatThrownBy(() -> ReportFormat.parse("xml")).isInstanceOf(MayflyException.class).hasMessageContaining("xml");
        assertThat(SarifReport.uri("C:\\x\\é #1")).isEqualTo("C:/x/%C3%A9%20%231");
    }
}
