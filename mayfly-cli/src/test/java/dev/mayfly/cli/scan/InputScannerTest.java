package dev.mayfly.cli.scan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mayfly.scanner.ScanResult;
import dev.mayfly.scanner.SecretScanner;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.mayfly.scanner.report.ReportFormat;
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

    /** Files of 200 KB or more in parts of about 64 KB, on three threads. */
    private ScanReport scanInParts(List<String> paths, InputScanner.ResultSink sink) {
        InputScanner s = new InputScanner(SCANNER, false, new ByteArrayInputStream(new byte[0]), 3,
                new PrintStream(new ByteArrayOutputStream()), System::nanoTime, 200_000, 64 * 1024);
        return s.scan(ScanInputs.resolve(paths, t -> t), sink);
    }

    private static final InputScanner.ResultSink NOWHERE = new InputScanner.ResultSink() {
        @Override
        public void accept(int index, ScanResult result) {
        }

        @Override
        public void skipped(int index) {
        }
    };

    @Test
    void largeFilesScannedInPartsReportAsScannedWhole() throws Exception {
        StringBuilder big = new StringBuilder();
        for (int i = 0; big.length() < 1_500_000; i++) {
            big.append("2026-12-07 INFO step ").append(i).append(' ').append("y".repeat(i % 97));
            if (i % 50 == 0) {
                big.append(" token ").append(Planted.githubPat(i));
            }
            big.append('\n');
        }
        Files.writeString(dir.resolve("big.log"), big);
        Files.writeString(dir.resolve("small.log"), "x " + Planted.awsKeyId(3) + "\n");

        ScanReport whole = scan(1, List.of(dir.toString()));
        ScanReport parts = scanInParts(List.of(dir.toString()), NOWHERE);

        assertThat(parts.toMap()).isEqualTo(whole.toMap());
        assertThat(parts.findingCount()).isGreaterThan(100);
    }

    @Test
    void theStreamedTextReportIsTheTextReport() throws Exception {
        StringBuilder big = new StringBuilder();
        for (int i = 0; big.length() < 600_000; i++) {
            big.append("line ").append(i).append(i % 40 == 0 ? " key " + Planted.awsKeyId(i) : "").append('\n');
        }
        Files.writeString(dir.resolve("b.log"), big);
        Files.writeString(dir.resolve("a.log"), "x " + Planted.githubPat(1) + "\n");
        Files.writeString(dir.resolve("c.log"), "y " + Planted.githubPat(2) + "\n");
        Files.write(dir.resolve("d.bin"), new byte[] {1, 0, 2});
        Files.createDirectory(dir.resolve("sub"));
        Files.write(dir.resolve("sub/e.bin"), new byte[] {1, 0, 2});
        // named out of order, one twice, a directory with a binary file: the lines still come in report order
        List<String> paths = List.of(dir.resolve("c.log").toString(), dir.resolve("sub").toString(),
                dir.resolve("b.log").toString(), dir.resolve("a.log").toString(), dir.resolve("c.log").toString());
        ScanInputs inputs = ScanInputs.resolve(paths, t -> t);
        StringWriter out = new StringWriter();
        StreamedText streamed = new StreamedText(inputs, out);

        ScanReport report = scanInParts(paths, streamed);
        streamed.finish(report);

        assertThat(out.toString()).isEqualTo(CombinedReport.render(report, ReportFormat.TEXT));
        assertThat(out.toString()).contains("skipped: ").contains("github-pat").contains("aws-access-token");
    }
}
