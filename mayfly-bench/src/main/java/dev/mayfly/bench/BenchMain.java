package dev.mayfly.bench;

import dev.mayfly.bench.corpus.CorpusBench;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs everything: the JMH micro-benchmarks, then the HTTP load scenarios against an in-process broker,
 * then the scanner's corpus run (recall, false positives, throughput, ripgrep baseline), and writes a
 * Markdown report ({@code results.md}) into the given directory. {@code --tiny} runs each benchmark just
 * long enough to prove it works (the test suite does this so none rots); {@code --scanner-only} runs only
 * the scanner corpus.
 */
public final class BenchMain {
    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "target/bench");
        boolean tiny = List.of(args).contains("--tiny");
        Files.createDirectories(out);
        String report = List.of(args).contains("--scanner-only") ? scannerCorpus(tiny, out) : run(tiny, out);
        Files.writeString(out.resolve("results.md"), report);
        System.out.println(report);
    }

    /** Runs the suite with the scanner corpus in a temporary directory and returns the Markdown report. */
    public static String run(boolean tiny) throws Exception {
        Path dir = Files.createTempDirectory("mayfly-bench");
        try {
            return run(tiny, dir);
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Runs the suite (the scanner corpus is written under {@code out}) and returns the Markdown report. */
    public static String run(boolean tiny, Path out) throws Exception {
        StringBuilder md = new StringBuilder();
        md.append("## JMH (ops/s for throughput, ns/op for average time)\n\n| benchmark | mode | score | error |\n|---|---|---|---|\n");
        for (RunResult r : jmh(tiny)) {
            var s = r.getPrimaryResult();
            md.append(String.format(Locale.ROOT, "| %s | %s | %.1f %s | ±%.1f |%n",
                    r.getParams().getBenchmark().replace("dev.mayfly.bench.", ""), r.getParams().getMode().shortLabel(),
                    s.getScore(), s.getScoreUnit(), s.getScoreError()));
        }
        md.append("\n## HTTP load (broker on SQLite, durable writes, audit on; client in the same JVM)\n\n");
        md.append(LoadResult.header()).append('\n');
        Duration d = tiny ? Duration.ofSeconds(1) : Duration.ofSeconds(15);
        int workers = tiny ? 2 : 32;
        try (BenchBroker broker = BenchBroker.start()) {
            LoadGenerator load = new LoadGenerator(broker.target());
            for (Scenario s : Scenario.values()) {
                md.append(load.closedLoop(s, workers, d).row()).append('\n');
            }
            md.append(load.openLoop(Scenario.TOKEN_EXCHANGE, tiny ? 50 : 1000, d, 512).row()).append('\n');
            md.append("\nResident memory after the runs: ").append(BenchBroker.residentMb()).append(" MB\n");
            md.append("\n## Revocation propagation\n\n")
                    .append(PropagationRun.run(broker, tiny ? 2 : 4, tiny ? 20 : 1000));
        }
        md.append("\n## Audit cost (token exchange, closed loop, same settings, audit switched off)\n\n");
        md.append(LoadResult.header()).append('\n');
        try (BenchBroker broker = BenchBroker.start(false)) {
            md.append(new LoadGenerator(broker.target()).closedLoop(Scenario.TOKEN_EXCHANGE, workers, d).row()
                    .replace("| token_exchange |", "| token_exchange, no audit |")).append('\n');
        }
        md.append('\n').append(scannerCorpus(tiny, out));
        return md.toString();
    }

    /**
     * The scanner's recall, false positives and throughput over the generated corpus, with ripgrep as the
     * baseline: 200 MiB at full scale, 1 MiB when tiny.
     */
    static String scannerCorpus(boolean tiny, Path out) throws Exception {
        long chars = tiny ? 1L << 20 : 200L << 20;
        return "## Scanner corpus (recall, false positives, throughput)\n\n"
                + CorpusBench.run(out.resolve("scanner-corpus"), chars, tiny ? 1 : 4, tiny ? 1 : 3);
    }

    static Collection<RunResult> jmh(boolean tiny) throws Exception {
        ChainedOptionsBuilder o = new OptionsBuilder()
                .include("dev\\.mayfly\\.bench\\.(TokenBenchmarks|CoreBenchmarks|ScannerBenchmarks)\\.")
                .shouldFailOnError(true);
        if (tiny) {
            o.forks(0).warmupIterations(0).measurementIterations(1).measurementTime(TimeValue.milliseconds(50));
        } else {
            o.forks(1).warmupIterations(2).warmupTime(TimeValue.seconds(1))
                    .measurementIterations(3).measurementTime(TimeValue.seconds(2)).jvmArgs("-Xmx512m");
        }
        return new ArrayList<>(new Runner(o.build()).run());
    }
}
