package dev.mayfly.cli.scan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mayfly.scanner.SecretScanner;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A scan of real files with the tick source moved by the test: silent when it ends within a second, then a
 * line per second and a closing total on stderr, never a file name (a path may itself be a pasted secret).
 */
class ScanProgressTest {
    @TempDir
    Path dir;

    private String scan(long nanosPerTick) throws Exception {
        for (int i = 0; i < 6; i++) {
            Files.writeString(dir.resolve("log-" + i + ".txt"), "line " + i + "\n".repeat(1000));
        }
        AtomicLong clock = new AtomicLong();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        InputScanner scanner = new InputScanner(SecretScanner.create(), false, new ByteArrayInputStream(new byte[0]),
                new PrintStream(err, true, StandardCharsets.UTF_8), () -> clock.getAndAdd(nanosPerTick));
        ScanReport report = scanner.scan(ScanInputs.resolve(List.of(dir.toString()), s -> s));
        assertThat(report.isClean()).isTrue();
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aScanWithinASecondSaysNothing() throws Exception {
        assertThat(scan(100_000_000L)).isEmpty(); // 6 files, 100 ms each
    }

    @Test
    void aLongerScanReportsEverySecondAndTheTotal() throws Exception {
        List<String> lines = scan(600_000_000L).lines().toList(); // 600 ms per file
        assertThat(lines).isNotEmpty();
        assertThat(lines.get(0)).startsWith("mayfly: scan: 2/6 inputs");
        assertThat(lines.get(lines.size() - 1)).startsWith("mayfly: scan: done, 6 inputs");
        assertThat(lines.size()).isBetween(3, 5); // throttled to one a second, not one per file
        assertThat(String.join("\n", lines)).doesNotContain("log-");
    }
}
