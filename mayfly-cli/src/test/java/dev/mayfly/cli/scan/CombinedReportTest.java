package dev.mayfly.cli.scan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.core.json.Json;
import dev.mayfly.scanner.ScanResult;
import dev.mayfly.scanner.SecretScanner;
import dev.mayfly.scanner.report.ReportFormat;
import dev.mayfly.scanner.report.ReportWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Several inputs' results written as one report in each format, as the scanner would write one input's. */
class CombinedReportTest {
    private static final SecretScanner SCANNER = SecretScanner.create();
    private static final String PAT = Planted.githubPat(7);
    private static final String AWS = Planted.awsKeyId(8);
    private static final String RT = Planted.unknownRefreshToken();

    private static ScanReport report() {
        List<ScanResult> parts = new ArrayList<>();
        parts.add(SCANNER.scan("key " + AWS + "\nmore " + PAT + "\n", "a.log"));
        parts.add(SCANNER.scan("clean line\n", "b.log"));
        parts.add(SCANNER.scan("x " + PAT + " y " + RT + "\n", "c dir/c.log"));
        return new ScanReport(parts, List.of(new ScanInputs.Skipped("img.png", "binary")));
    }

    private static JsonNode json(String text) throws Exception {
        return Json.mapper().readTree(text);
    }

    @Test
    void jsonHasEveryFindingWithSummedSummaryAndWhatWasSkipped() throws Exception {
        JsonNode r = json(CombinedReport.render(report(), ReportFormat.JSON));
        assertThat(r.get("clean").asBoolean()).isFalse();
        assertThat(r.get("findings").findValuesAsText("file")).containsExactly("a.log", "a.log", "c dir/c.log", "c dir/c.log");
        assertThat(r.get("findings").findValuesAsText("rule_id"))
                .containsExactly("aws-access-token", "github-pat", "github-pat", "mayfly-refresh-token");
        assertThat(r.at("/findings/1/line").asInt()).isEqualTo(2);
        assertThat(r.at("/findings/1/column").asInt()).isEqualTo(6);
        assertThat(r.at("/findings/1/fingerprint").asText()).as("a hash of the secret, not of its place")
                .isEqualTo(r.at("/findings/2/fingerprint").asText()).hasSize(16);
        assertThat(r.at("/summary/sources").asInt()).isEqualTo(3);
        assertThat(r.at("/summary/findings").asInt()).isEqualTo(4);
        assertThat(r.at("/summary/mayfly").asInt()).isEqualTo(1);
        assertThat(r.at("/skipped/0/file").asText()).isEqualTo("img.png");
        assertThat(r.at("/skipped/0/reason").asText()).isEqualTo("binary");
        assertThat(r.toString()).doesNotContain(PAT, AWS, RT);
    }

    @Test
    void explainListsWhatRulesRefusedWithReasonsAndCountsIt() throws Exception {
        SecretScanner explaining = SecretScanner.builder().explain(true).build();
        ScanReport explained = new ScanReport(List.of(explaining.scan("key=cache:2204875a296b\n", "a.log"),
                explaining.scan("x " + PAT + "\n", "b.log")), List.of());

        JsonNode r = json(CombinedReport.render(explained, ReportFormat.JSON));
        assertThat(r.get("findings").findValuesAsText("file")).containsExactly("b.log");
        assertThat(r.at("/suppressed/0/file").asText()).isEqualTo("a.log");
        assertThat(r.at("/suppressed/0/rule_id").asText()).isEqualTo("generic-api-key");
        assertThat(r.at("/suppressed/0/reason").asText()).startsWith("an identifier");
        assertThat(r.at("/summary/suppressed").asInt()).isEqualTo(1);
        assertThat(json(CombinedReport.render(report(), ReportFormat.JSON)).has("suppressed")).isFalse();
    }

    @Test
    void sarifIsOneRunWithRulesOnceAndIndexesThatPointAtThem() throws Exception {
        JsonNode log = json(CombinedReport.render(report(), ReportFormat.SARIF));
        assertThat(log.get("version").asText()).isEqualTo("2.1.0");
        assertThat(log.get("$schema").asText()).contains("sarif-2.1.0");
        assertThat(log.get("runs")).hasSize(1);
        JsonNode run = log.at("/runs/0");
        JsonNode rules = run.at("/tool/driver/rules");
        assertThat(rules.findValuesAsText("id")).containsExactly("aws-access-token", "github-pat", "mayfly-refresh-token");
        assertThat(run.get("results")).hasSize(4);
        for (JsonNode result : run.get("results")) {
            assertThat(rules.get(result.get("ruleIndex").asInt()).get("id").asText()).isEqualTo(result.get("ruleId").asText());
        }
        assertThat(run.at("/results/3/locations/0/physicalLocation/artifactLocation/uri").asText()).isEqualTo("c%20dir/c.log");
        assertThat(run.at("/invocations/0/toolExecutionNotifications/0/message/text").asText())
                .isEqualTo("skipped img.png (binary)");
        assertThat(log.toString()).doesNotContain(PAT, AWS, RT);
    }

    @Test
    void gitleaksIsOneArrayOfEveryFinding() throws Exception {
        JsonNode items = json(CombinedReport.render(report(), ReportFormat.GITLEAKS));
        assertThat(items.isArray()).isTrue();
        assertThat(items).hasSize(4);
        assertThat(items.findValuesAsText("RuleID")).containsExactly("aws-access-token", "github-pat", "github-pat",
                "mayfly-refresh-token");
        assertThat(items.get(1).get("StartLine").asInt()).isEqualTo(2);
        assertThat(items.get(1).get("Fingerprint").asText()).isEqualTo("a.log:github-pat:2");
        assertThat(items.toString()).doesNotContain(PAT, AWS, RT);
    }

    @Test
    void textHasEachFindingThenSkippedThenOneSummary() {
        String text = CombinedReport.render(report(), ReportFormat.TEXT);
        List<String> lines = text.lines().toList();
        assertThat(lines).hasSize(6);
        assertThat(lines.get(0)).startsWith("a.log:1:5  aws-access-token  AKIA");
        assertThat(lines.get(3)).startsWith("c dir/c.log:1:").contains("mayfly-refresh-token  mfy_rt_").endsWith("[mayfly]");
        assertThat(lines.get(4)).isEqualTo("skipped: img.png  binary");
        assertThat(lines.get(5)).isEqualTo("4 secrets found (1 Mayfly credential) in 3 sources, 1 skipped");
        assertThat(text).doesNotContain(PAT, AWS, RT);
    }

    @Test
    void oneInputGivesWhatTheScannersOwnWriterGives() throws Exception {
        ScanResult only = SCANNER.scan("k " + PAT + "\n", "one.log");
        ScanReport report = new ScanReport(List.of(only), List.of());
        for (ReportFormat f : List.of(ReportFormat.SARIF, ReportFormat.GITLEAKS)) {
            assertThat(json(CombinedReport.render(report, f))).as(f.label()).isEqualTo(json(ReportWriter.of(f).render(only)));
        }
        JsonNode ours = json(CombinedReport.render(report, ReportFormat.JSON));
        JsonNode theirs = json(ReportWriter.of(ReportFormat.JSON).render(only));
        assertThat(ours.get("findings")).isEqualTo(theirs.get("findings"));
        assertThat(ours.get("clean")).isEqualTo(theirs.get("clean"));
    }
}
