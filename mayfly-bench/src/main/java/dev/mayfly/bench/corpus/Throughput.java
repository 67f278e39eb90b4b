package dev.mayfly.bench.corpus;

import dev.mayfly.scanner.SecretScanner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Single-threaded scan throughput over a whole corpus (files read from disk, page cache warm). */
final class Throughput {
    private Throughput() {
    }

    /** Scans every file {@code passes} times and returns the best pass in MiB/s. */
    static double mibPerSecond(SecretScanner scanner, Corpus corpus, int passes) throws IOException {
        long best = Long.MAX_VALUE;
        for (int i = 0; i < passes; i++) {
            long t0 = System.nanoTime();
            long findings = 0;
            for (String f : corpus.files()) {
                findings += scanner.scan(corpus.root().resolve(f)).findings().size();
            }
            long t = System.nanoTime() - t0;
            if (findings < 0) {
                throw new IllegalStateException(); // keeps the result alive
            }
            best = Math.min(best, t);
        }
        return corpus.chars() / (1024.0 * 1024.0) / (best / 1e9);
    }

    /** MiB/s per file (one timed pass each, after the warm-up passes): where the time goes. */
    static Map<String, Double> perFile(SecretScanner scanner, Corpus corpus) throws IOException {
        Map<String, Double> out = new LinkedHashMap<>();
        for (String f : corpus.files()) {
            Path p = corpus.root().resolve(f);
            long size = Files.size(p);
            long t0 = System.nanoTime();
            scanner.scan(p);
            out.put(f, size / (1024.0 * 1024.0) / ((System.nanoTime() - t0) / 1e9));
        }
        return out;
    }
}
