package dev.mayfly.cli.blackbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.cli.scan.Planted;
import dev.mayfly.core.json.Json;
import dev.mayfly.server.testing.BrokerExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code mayfly scan} and {@code mayfly redact} as a user runs them: the jar, real files and pipes, a real broker. */
class ScanIT {
    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    @TempDir
    static Path dir;

    static Cli cli;
    static Path home;

    static final String PAT = Planted.githubPat(11);
    static final String AWS = Planted.awsKeyId(12);
    static final String RT = Planted.unknownRefreshToken();

    @BeforeAll
    static void setUp() {
        cli = new Cli(broker, dir);
        home = cli.newHome("scanner");
    }

    private static Path file(String name, String content) throws Exception {
        Path p = dir.resolve("inputs").resolve(name);
        Files.createDirectories(p.getParent());
        return Files.writeString(p, content);
    }

    private static CliResult scan(String... args) {
        CliResult r = cli.in(home).run(prepend("scan", args));
        assertNoPlantedSecret(r);
        return r;
    }

    private static String[] prepend(String first, String... rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    private static void assertNoPlantedSecret(CliResult r) {
        r.assertNoSecrets();
        assertThat(r.stdout() + r.stderr()).doesNotContain(PAT, AWS, RT);
    }

    private static JsonNode json(String text) throws Exception {
        return Json.mapper().readTree(text);
    }

    @Test
    void aCleanFileExitsZeroWithACleanReport() throws Exception {
        Path clean = file("clean.log", "2026-11-22 INFO started\nuser=alice action=login ok\n");
        JsonNode data = scan(clean.toString()).data();
        assertThat(data.get("clean").asBoolean()).isTrue();
        assertThat(data.get("findings")).isEmpty();
        assertThat(data.at("/summary/sources").asInt()).isEqualTo(1);
    }

    @Test
    void plantedSecretsExitSixWithTheReportInTheEnvelope() throws Exception {
        Path log = file("agent.log", "step 1\ncalling github with " + PAT + "\n  aws_key=" + AWS + " refresh " + RT + "\n");
        CliResult r = scan(log.toString());
        JsonNode env = r.failureWithData("CONFLICT", 6);
        assertThat(env.at("/error/message").asText()).isEqualTo("3 secrets found (1 Mayfly credential).");
        assertThat(env.at("/error/retryable").asBoolean()).isFalse();
        assertThat(env.at("/error/findings").asInt()).isEqualTo(3);
        assertThat(env.at("/error/mayfly").asInt()).isEqualTo(1);
        JsonNode findings = env.at("/data/findings");
        assertThat(findings.findValuesAsText("rule_id")).containsExactly("github-pat", "aws-access-token", "mayfly-refresh-token");
        JsonNode pat = findings.get(0);
        assertThat(pat.get("file").asText()).isEqualTo(log.toString());
        assertThat(pat.get("line").asInt()).isEqualTo(2);
        assertThat(pat.get("column").asInt()).isEqualTo(21);
        assertThat(pat.get("redacted").asText()).isEqualTo("ghp_********");
        assertThat(pat.get("fingerprint").asText()).hasSize(16);
        assertThat(findings.get(2).get("mayfly").asBoolean()).isTrue();
        assertThat(r.stderr()).contains("CONFLICT");

        // The fingerprint is the secret's, not its place's: the same token elsewhere has the same one.
        Path moved = file("moved.log", "\n\n\n    " + PAT + "\n");
        JsonNode again = scan(moved.toString()).failureWithData("CONFLICT", 6);
        assertThat(again.at("/data/findings/0/fingerprint").asText()).isEqualTo(pat.get("fingerprint").asText());
    }

    @Test
    void everyFormatParsesAndKeepsTheExitCode() throws Exception {
        Path log = file("formats.log", "token " + PAT + "\nkey " + AWS + "\n");

        CliResult sarif = scan(log.toString(), "--format", "sarif");
        assertThat(sarif.exit()).isEqualTo(6);
        JsonNode s = json(sarif.stdout());
        assertThat(s.get("version").asText()).isEqualTo("2.1.0");
        assertThat(s.at("/runs/0/tool/driver/name").asText()).isEqualTo("mayfly-scanner");
        assertThat(s.at("/runs/0/results")).hasSize(2);
        assertThat(s.at("/runs/0/results/0/ruleId").asText()).isEqualTo("github-pat");
        assertThat(s.at("/runs/0/results/0/locations/0/physicalLocation/region/startLine").asInt()).isEqualTo(1);
        assertThat(sarif.stderr()).contains("CONFLICT");

        CliResult gitleaks = scan(log.toString(), "--format", "gitleaks");
        assertThat(gitleaks.exit()).isEqualTo(6);
        JsonNode g = json(gitleaks.stdout());
        assertThat(g.isArray()).isTrue();
        assertThat(g).hasSize(2);
        assertThat(g.get(1).get("RuleID").asText()).isEqualTo("aws-access-token");
        assertThat(g.get(1).get("StartLine").asInt()).isEqualTo(2);
        assertThat(g.get(1).get("StartColumn").asInt()).isEqualTo(5);
        assertThat(g.get(1).get("File").asText()).isEqualTo(log.toString());
        assertThat(g.get(1).has("Secret") && g.get(1).has("Fingerprint") && g.get(1).has("EndLine")).isTrue();

        CliResult text = scan(log.toString(), "--format", "text");
        assertThat(text.exit()).isEqualTo(6);
        assertThat(text.stdout().lines().toList()).hasSize(3)
                .first().asString().startsWith(log + ":1:7  github-pat  ghp_********  ");
        assertThat(text.stdout()).endsWith("2 secrets found in 1 source\n");

        CliResult explicitJson = scan(log.toString(), "--format", "json");
        assertThat(explicitJson.failureWithData("CONFLICT", 6).at("/data/findings")).hasSize(2);
        JsonNode cleanSarif = json(scan(file("fine.txt", "fine\n").toString(), "--format", "sarif").stdout());
        assertThat(cleanSarif.at("/runs/0/results")).isEmpty();

        scan(log.toString(), "--format", "xml").error("USAGE", 2);
    }

    @Test
    void reportPathGetsTheReportAndStdoutKeepsTheEnvelope() throws Exception {
        Path log = file("report-path.log", "k " + PAT + "\n");
        Path out = dir.resolve("report.sarif");
        CliResult r = scan(log.toString(), "--format", "sarif", "--report-path", out.toString());
        JsonNode env = r.failureWithData("CONFLICT", 6);
        assertThat(env.at("/data/report_path").asText()).isEqualTo(out.toString());
        String written = Files.readString(out);
        assertThat(json(written).at("/runs/0/results/0/ruleId").asText()).isEqualTo("github-pat");
        assertThat(written).doesNotContain(PAT);
    }

    @Test
    void stdinIsScannedWithADashOrNoPath() {
        String input = "{\"event\":\"tool_call\",\"args\":\"{\\\"key\\\": \\\"" + AWS + "\\\"}\"}\n";
        for (String[] args : List.of(new String[] {"-"}, new String[0])) {
            CliResult r = cli.in(home).stdin(input).run(prepend("scan", args));
            assertNoPlantedSecret(r);
            JsonNode env = r.failureWithData("CONFLICT", 6);
            assertThat(env.at("/data/findings/0/file").asText()).isEqualTo("-");
            assertThat(env.at("/data/findings/0/rule_id").asText()).isEqualTo("aws-access-token");
        }
        assertThat(cli.in(home).stdin("nothing to see\n").run("scan").data().get("clean").asBoolean()).isTrue();
    }

    @Test
    void directoriesAreWalkedWithoutGitSymlinksOrBinaryFilesAndSayWhatWasSkipped() throws Exception {
        Path root = dir.resolve("repo");
        Files.createDirectories(root.resolve("src/deep"));
        Files.createDirectories(root.resolve(".git"));
        Files.writeString(root.resolve("src/deep/config.env"), "GITHUB_TOKEN=" + PAT + "\n");
        Files.writeString(root.resolve("README"), "nothing here\n");
        Files.writeString(root.resolve(".git/config"), "token = " + PAT + "\n");
        Files.write(root.resolve("core.dump"), ("\0\0ELF " + AWS + "\n").getBytes(StandardCharsets.UTF_8));
        Files.createSymbolicLink(root.resolve("link.env"), root.resolve("src/deep/config.env"));

        JsonNode data = scan(root.toString()).failureWithData("CONFLICT", 6).get("data");
        assertThat(data.get("findings").findValuesAsText("file")).containsExactly(root.resolve("src/deep/config.env").toString());
        assertThat(data.at("/summary/sources").asInt()).isEqualTo(2);
        assertThat(data.get("skipped").findValuesAsText("reason")).containsExactly("git_directory", "binary", "symlink");
        assertThat(data.get("skipped").findValuesAsText("file")).containsExactly(root.resolve(".git").toString(),
                root.resolve("core.dump").toString(), root.resolve("link.env").toString());

        JsonNode all = scan(root.toString(), "--include-binary").failureWithData("CONFLICT", 6).get("data");
        assertThat(all.get("findings").findValuesAsText("rule_id")).containsExactly("aws-access-token", "github-pat");
        JsonNode named = scan(root.resolve("core.dump").toString()).failureWithData("CONFLICT", 6).get("data");
        assertThat(named.get("findings")).as("a file named on the command line is scanned even if binary").hasSize(1);
    }

    @Test
    void aMissingPathIsNotFoundAndNothingIsScanned() throws Exception {
        Path exists = file("exists.log", "k " + PAT + "\n");
        JsonNode e = scan(exists.toString(), dir.resolve("no-such.log").toString()).error("NOT_FOUND", 5);
        assertThat(e.path("message").asText()).contains("no-such.log");

        // A secret pasted where a path goes is not echoed back (scan() checks stdout and stderr for it).
        assertThat(scan(PAT).error("NOT_FOUND", 5).path("message").asText()).contains("ghp_********");
        scan(exists.toString(), "--rules", RT).error("NOT_FOUND", 5);
        CliResult redact = cli.in(home).run("redact", RT);
        assertNoPlantedSecret(redact);
        redact.error("NOT_FOUND", 5);
    }

    @Test
    void rulesFilesAddRulesAndABadOneIsAUsageError() throws Exception {
        Path rules = file("rules.toml", """
                [[rules]]
                id = "acme-key"
                description = "ACME API key"
                regex = '''acme_[a-z0-9]{24}'''
                keywords = ["acme_"]
                """);
        Path log = file("acme.log", "using acme_0a1b2c3d4e5f6a7b8c9d0e1f2a now\n");
        assertThat(scan(log.toString()).data().get("clean").asBoolean()).as("not a built-in rule").isTrue();
        JsonNode found = scan(log.toString(), "--rules", rules.toString()).failureWithData("CONFLICT", 6);
        assertThat(found.at("/data/findings/0/rule_id").asText()).isEqualTo("acme-key");
        assertThat(found.at("/data/findings/0/column").asInt()).isEqualTo(7);

        Path bad = file("bad.toml", """
                [[rules]]
                id = "lookahead"
                regex = '''secret(?=[0-9])'''
                """);
        JsonNode usage = scan(log.toString(), "--rules", bad.toString()).error("USAGE", 2);
        assertThat(usage.path("message").asText()).contains("lookahead");
        Path typo = file("typo.toml", "[[rules]]\nid = \"x\"\nregx = 'abc'\n");
        scan(log.toString(), "--rules", typo.toString()).error("USAGE", 2);
        scan(log.toString(), "--rules", dir.resolve("missing.toml").toString()).error("NOT_FOUND", 5);
    }

    @Test
    void exitCodeChoosesTheFoundCodeOnly() throws Exception {
        Path log = file("exit-code.log", "k " + PAT + "\n");
        CliResult zero = scan(log.toString(), "--exit-code", "0");
        JsonNode data = zero.data();
        assertThat(data.get("clean").asBoolean()).isFalse();
        assertThat(zero.warnings().get(0).asText()).contains("1 secret found");
        scan(log.toString(), "--exit-code", "42").failureWithData("CONFLICT", 42);
        assertThat(scan(file("ok.log", "ok\n").toString(), "--exit-code", "42").exit()).isZero();
        scan(log.toString(), "--exit-code", "300").error("USAGE", 2);
        scan(dir.resolve("nope").toString(), "--exit-code", "0").error("NOT_FOUND", 5);
    }

    @Test
    void noDecodeLooksOnlyAtTheTextAsItIs() throws Exception {
        String encoded = java.util.Base64.getEncoder().encodeToString(("token=" + PAT).getBytes(StandardCharsets.UTF_8));
        Path log = file("encoded.log", "Authorization: Basic " + encoded + "\n");
        JsonNode decoded = scan(log.toString()).failureWithData("CONFLICT", 6);
        assertThat(decoded.at("/data/findings/0/decoded_from/0").asText()).isEqualTo("base64");
        assertThat(scan(log.toString(), "--no-decode").data().get("clean").asBoolean()).isTrue();
    }

    @Test
    void redactKeepsJsonValidAndMasksEverySecret() throws Exception {
        String doc = "{\"event\":\"tool_call\",\"args\":\"{\\\"token\\\": \\\"" + RT + "\\\"}\","
                + "\"headers\":{\"Authorization\":\"token " + PAT + "\"},\"aws\":\"" + AWS + "\",\"note\":\"hello\"}";
        Path in = file("transcript.json", doc);
        for (CliResult r : List.of(cli.in(home).run("redact", in.toString()), cli.in(home).stdin(doc).run("redact"),
                cli.in(home).stdin(doc).run("redact", "-"))) {
            assertThat(r.exit()).as(r.stderr()).isZero();
            assertNoPlantedSecret(r);
            JsonNode out = json(r.stdout());
            assertThat(out.get("event").asText()).isEqualTo("tool_call");
            assertThat(out.get("note").asText()).isEqualTo("hello");
            assertThat(json(out.get("args").asText()).get("token").asText()).isEqualTo("mfy_rt_********");
            assertThat(out.at("/headers/Authorization").asText()).isEqualTo("token ghp_********");
            assertThat(out.get("aws").asText()).doesNotContain(AWS.substring(4));
        }
        Path plain = file("plain.txt", "line one\nkey " + PAT + " end\nline three\n");
        assertThat(cli.in(home).run("redact", plain.toString()).stdout())
                .isEqualTo("line one\nkey ghp_******** end\nline three\n");
        cli.in(home).run("redact", dir.resolve("gone.json").toString()).error("NOT_FOUND", 5);
        cli.in(home).run("redact", dir.toString()).error("USAGE", 2);
    }

    @Test
    void revokeKillsTheLeakedTokensAndASecondReportSaysTheyWereAlreadyRevoked() throws Exception {
        JsonNode agent = cli.createAgent("leaky-agent", List.of("orders:read"), List.of());
        JsonNode session = broker.client().login(agent.get("client_id").asText(), agent.get("client_secret").asText()).body();
        String access = session.get("access_token").asText();
        JsonNode other = broker.client().login(agent.get("client_id").asText(), agent.get("client_secret").asText()).body();
        String refresh = other.get("refresh_token").asText();
        cli.in(home).env("MAYFLY_TOKEN", access).run("whoami").data();

        Path log = file("leak.jsonl", "{\"msg\":\"request\",\"headers\":{\"Authorization\":\"Bearer " + access + "\"}}\n"
                + "{\"msg\":\"saved\",\"refresh_token\":\"" + refresh + "\"}\n"
                + "{\"msg\":\"again\",\"auth\":\"Bearer " + access + "\"}\n");

        CliResult first = scan(log.toString(), "--revoke");
        assertThat(first.stdout() + first.stderr()).doesNotContain(access, refresh);
        JsonNode env = first.failureWithData("CONFLICT", 6);
        JsonNode revocation = env.at("/data/revocation");
        assertThat(revocation.get("url").asText()).isEqualTo(broker.issuer());
        assertThat(revocation.get("results").findValuesAsText("status")).containsExactly("revoked", "revoked");
        assertThat(revocation.get("results").findValuesAsText("found_at"))
                .containsExactly(log + ":1:53", log + ":2:33");
        assertThat(revocation.get("revoked").asInt()).isEqualTo(2);
        assertThat(first.stderr()).contains("mayfly: revoke: revoked");

        cli.in(home).env("MAYFLY_TOKEN", access).run("whoami").error("CREDENTIALS_REVOKED", 11);
        assertThat(broker.client().refresh(refresh).body().path("code").asText()).isEqualTo("CREDENTIALS_REVOKED");

        JsonNode second = scan(log.toString(), "--revoke").failureWithData("CONFLICT", 6).at("/data/revocation/results");
        assertThat(second.findValuesAsText("status")).containsExactly("already_reported", "already_reported");
        assertThat(second.findValuesAsText("first_status")).containsExactly("revoked", "revoked");

        CliResult sarif = scan(log.toString(), "--revoke", "--format", "sarif");
        assertThat(sarif.exit()).isEqualTo(6);
        assertThat(json(sarif.stdout()).get("version").asText()).isEqualTo("2.1.0");
        assertThat(sarif.stderr()).contains("already_reported (revoked)");
    }

    @Test
    void anUnreachableBrokerIsUnavailableTwelveWithTheReportStillThere() throws Exception {
        int closed;
        try (var s = new java.net.ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        Path log = file("unreachable.log", "rt " + RT + "\n");
        CliResult r = scan(log.toString(), "--revoke", "--url", "http://127.0.0.1:" + closed);
        JsonNode env = r.failureWithData("UNAVAILABLE", 12);
        assertThat(env.at("/error/retryable").asBoolean()).isTrue();
        assertThat(env.at("/error/message").asText()).startsWith("1 secret found (1 Mayfly credential); 1 not reported");
        assertThat(env.at("/data/findings/0/rule_id").asText()).isEqualTo("mayfly-refresh-token");
        assertThat(env.at("/data/revocation/results/0/status").asText()).isEqualTo("not_sent");

        JsonNode clean = scan(file("nothing.log", "ok\n").toString(), "--revoke", "--url", "http://127.0.0.1:" + closed).data();
        assertThat(clean.at("/revocation/reported").asInt()).as("nothing to report: the broker is not asked").isZero();
    }

    @Test
    void theSchemaListsScanAndRedact() throws Exception {
        JsonNode commands = cli.in(home).run("schema").data().at("/command/subcommands");
        assertThat(commands.findValuesAsText("full_name")).contains("mayfly scan", "mayfly redact");
    }
}
