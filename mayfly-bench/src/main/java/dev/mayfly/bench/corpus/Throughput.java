package dev.mayfly.bench.corpus;

import dev.mayfly.scanner.SecretScanner;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Single-threaded scan throughput over a whole corpus (files read from disk, page cache warm). */
final class Throughput {
    private Throughput() {
    }

    /** Wall-clock and thread-CPU throughput of the best pass, in MiB/s. */
    record Rate(double wall, double cpu) {
    }

    /**
     * Scans every file {@code passes} times on this thread and returns the best pass, by wall clock and by
     * this thread's CPU time (on a shared machine the CPU figure is the steadier one).
     */
    static Rate measure(SecretScanner scanner, Corpus corpus, int passes) throws IOException {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long bestWall = Long.MAX_VALUE;
        long bestCpu = Long.MAX_VALUE;
        for (int i = 0; i < passes; i++) {
            long c0 = mx.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            long findings = 0;
            for (String f : corpus.files()) {
                findings += scanner.scan(corpus.root().resolve(f)).findings().size();
            }
            bestWall = Math.min(bestWall, System.nanoTime() - t0);
            bestCpu = Math.min(bestCpu, mx.getCurrentThreadCpuTime() - c0);
            if (findings < 0) {
                throw new IllegalStateException(); // keeps the result alive
            }
        }
        double mib = corpus.chars() / (1024.0 * 1024.0);
        return new Rate(mib / (bestWall / 1e9), mib / (bestCpu / 1e9));
    }

    /** MiB per second of thread CPU time, per file (one pass each, after the warm-up passes): where the time goes. */
    static Map<String, Double> perFile(SecretScanner scanner, Corpus corpus) throws IOException {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Map<String, Double> out = new LinkedHashMap<>();
        for (String f : corpus.files()) {
            Path p = corpus.root().resolve(f);
            long size = Files.size(p);
            long c0 = mx.getCurrentThreadCpuTime();
            scanner.scan(p);
            out.put(f, size / (1024.0 * 1024.0) / (Math.max(1, mx.getCurrentThreadCpuTime() - c0) / 1e9));
        }
        return out;
    }
}
