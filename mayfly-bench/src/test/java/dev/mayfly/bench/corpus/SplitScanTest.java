package dev.mayfly.bench.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mayfly.scanner.FileParts;
import dev.mayfly.scanner.Finding;
import dev.mayfly.scanner.ScanResult;
import dev.mayfly.scanner.SecretScanner;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bench corpus's files scanned as parts on several threads ({@link FileParts}, what {@code mayfly scan}
 * does with a large file) give every finding a whole-file scan gives, at the same place: logs, transcripts,
 * both stream formats and both dumps, cut into parts of 40 KB.
 */
class SplitScanTest {
    @TempDir
    static Path dir;

    @Test
    void everyCorpusFileScannedInPartsAsScannedWhole() throws Exception {
        Corpus corpus = CorpusGenerator.generate(dir.resolve("a"), 1L << 20, 1, CorpusBench.SEED);
        SecretScanner scanner = SecretScanner.builder().chunkSize(16 * 1024).build();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        int findings = 0;
        try {
            for (String f : corpus.files()) {
                Path file = corpus.root().resolve(f);
                ScanResult whole = scanner.scan(file);
                FileParts parts = scanner.parts(file, file.toString(), 40_000);
                List<FileParts.Task> tasks = new ArrayList<>(parts.tasks());
                Collections.reverse(tasks);
                List<Future<Void>> done = new ArrayList<>();
                for (FileParts.Task t : tasks) {
                    done.add(pool.submit(t));
                }
                for (Future<Void> d : done) {
                    d.get();
                }
                assertThat(lines(parts.result())).as(f).isEqualTo(lines(whole));
                findings += whole.findings().size();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(findings).isGreaterThan(100);
    }

    private static List<String> lines(ScanResult r) {
        List<String> out = new ArrayList<>();
        for (Finding f : r.findings()) {
            out.add(f.ruleId() + " " + f.offset() + " " + f.line() + ":" + f.column() + "-" + f.endLine() + ":"
                    + f.endColumn() + " " + f.fingerprint() + " " + f.decodedFrom());
        }
        out.add("chars " + r.chars());
        return out;
    }
}
