package dev.mayfly.cli.scan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mayfly.scanner.SecretScanner;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Inputs scanned several at once give the report, skipped list and error a one-at-a-time scan gives. */
class InputScannerTest {
    private static final SecretScanner SCANNER = SecretScanner.create();

    @TempDir
    Path dir;

    private ScanReport scan(int threads, List<String> paths) {
        return new InputScanner(SCANNER, false, new ByteArrayInputStream(new byte[0]), threads)
                .scan(ScanInputs.resolve(paths, s -> s));
    }

    @Test
    void manyFilesOnFourThreadsReportAsOnOne() throws Exception {
        for (int i = 0; i < 40; i++) {
            // sizes differ so later files finish first on a pool
            String body = "x".repeat((40 - i) * 5000) + "\nline " + i + " " + Planted.githubPat(i) + "\n";
            Files.writeString(dir.resolve(String.format("f%02d.log", i)), body);
        }
        Files.write(dir.resolve("image.bin"), new byte[] {1, 0, 2});

        ScanReport one = scan(1, List.of(dir.toString()));
        ScanReport four = scan(4, List.of(dir.toString()));

        assertThat(four.toMap()).isEqualTo(one.toMap());
        assertThat(four.findingCount()).isEqualTo(40);
        assertThat(four.skipped()).extracting(ScanInputs.Skipped::reason).containsExactly("binary");
    }
}
