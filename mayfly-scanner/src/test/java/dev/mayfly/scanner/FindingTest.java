package dev.mayfly.scanner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mayfly.core.json.Json;
import dev.mayfly.core.secret.Secret;
import dev.mayfly.core.secret.SecretKind;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a finding exposes, and what it never does. */
class FindingTest {
    private static final SecretScanner SCANNER = SecretScanner.create();
    private static final String RT = Fixtures.mayfly(SecretKind.REFRESH_TOKEN, 41);
    private static final String GHP = Fixtures.github("ghp_", 42);

    @Test
    void the_fingerprint_is_the_secret_hash_not_the_position() {
        Finding a = SCANNER.scan("x " + RT, "a.log").findings().get(0);
        Finding b = SCANNER.scan("\n\n    token: " + RT, "b.log").findings().get(0);

        assertThat(a.fingerprint()).isEqualTo(b.fingerprint()).hasSize(16)
                .isEqualTo(Secret.sha256Hex(RT).substring(0, 16));
        assertThat(a).isNotEqualTo(b);
    }

    @Test
    void no_secret_in_text_forms_or_json() {
        ScanResult r = SCANNER.scan(RT + "\n" + GHP + "\npassword=Tr0ub4dor&3x", "x");

        String all = r.toString() + r.findings() + Json.write(r.toMap()) + r.warnings();
        assertThat(all).doesNotContain(RT, RT.substring(7), GHP, GHP.substring(4), "Tr0ub4dor");
        assertThat(r.findings().get(0).mayflySecret().orElseThrow().toString()).isEqualTo("Secret[redacted]");
    }

    @Test
    void only_mayfly_secrets_are_kept_and_each_once() {
        ScanResult r = SCANNER.scan(RT + " " + GHP + " " + RT, "x");

        assertThat(r.findings()).hasSize(3);
        assertThat(r.mayflySecrets()).extracting(Secret::reveal).containsExactly(RT);
        assertThat(r.findings()).filteredOn(f -> !f.isMayfly()).allSatisfy(f -> assertThat(f.mayflySecret()).isEmpty());
    }

    @Test
    void report_map_has_the_documented_keys() {
        Finding f = SCANNER.scan("token=" + RT, "config.env").findings().get(0);

        assertThat(f.toMap()).containsKeys("rule_id", "kind", "description", "file", "line", "column", "end_line",
                "end_column", "offset", "redacted", "fingerprint", "entropy", "mayfly", "decoded_from", "tags");
        assertThat(f.toMap()).containsEntry("file", "config.env").containsEntry("mayfly", true)
                .containsEntry("column", 7).containsEntry("end_column", 51);
    }

    @Test
    void scans_directories_recursively_and_skips_git(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("logs/old"));
        Files.createDirectories(dir.resolve(".git"));
        Files.writeString(dir.resolve("logs/app.log"), "boot\nrefresh " + RT + "\n");
        Files.writeString(dir.resolve("logs/old/ci.log"), "GITHUB_TOKEN=" + GHP + "\n");
        Files.writeString(dir.resolve("clean.txt"), "nothing\n");
        Files.writeString(dir.resolve(".git/config"), "token = " + RT + "\n");

        ScanResult r = SCANNER.scan(dir);

        assertThat(r.sources()).isEqualTo(3);
        assertThat(r.findings()).extracting(f -> dir.relativize(Path.of(f.source())).toString().replace('\\', '/'),
                Finding::line).containsExactly(
                        org.assertj.core.groups.Tuple.tuple("logs/app.log", 2),
                        org.assertj.core.groups.Tuple.tuple("logs/old/ci.log", 1));
    }

    @Test
    void scans_a_file_and_binary_content(@TempDir Path dir) throws Exception {
        byte[] bin = new byte[4096];
        new java.util.Random(1).nextBytes(bin);
        byte[] token = RT.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        System.arraycopy(token, 0, bin, 2000, token.length);
        Path core = dir.resolve("core.dump");
        Files.write(core, bin);

        ScanResult r = SCANNER.scan(core);

        assertThat(r.findings()).extracting(Finding::fingerprint).contains(Fixtures.fingerprint(RT));
    }

    @Test
    void merged_results_keep_every_finding_in_source_order_and_sum_the_counts() {
        ScanResult b = SCANNER.scan("x " + GHP + "\n", "b.log");
        ScanResult a = SCANNER.scan("y " + RT + " " + RT + "\n", "a.log");
        ScanResult clean = SCANNER.scan("nothing here\n", "c.log");

        ScanResult merged = ScanResult.merge(java.util.List.of(b, clean, a));

        assertThat(merged.findings()).extracting(Finding::source).containsExactly("a.log", "a.log", "b.log");
        assertThat(merged.sources()).isEqualTo(3);
        assertThat(merged.chars()).isEqualTo(a.chars() + b.chars() + clean.chars());
        assertThat(merged.mayflySecrets()).hasSize(1);
        assertThat(ScanResult.merge(java.util.List.of()).isClean()).isTrue();
    }
}
