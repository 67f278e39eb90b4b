package dev.mayfly.bench.corpus;

import dev.mayfly.scanner.rules.Rule;
import dev.mayfly.scanner.rules.RuleSet;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The baseline: ripgrep running the same rules' regexes (PCRE2, since the rules use lookaround; multiline
 * so PEM blocks match across lines; one thread) over the same files. It only matches: no decoding, no
 * validation. Absent on CI, where it is skipped with a note.
 */
final class RipgrepBaseline {
    private RipgrepBaseline() {
    }

    static Optional<Path> find() {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            Path p = Path.of(dir, "rg");
            if (!dir.isEmpty() && Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** The command line used, for the report. */
    static String describe() {
        return "rg --no-config -j1 -P -U -c -f <built-in rule regexes> <corpus files>";
    }

    static boolean bashPresent() {
        return Files.isExecutable(Path.of("/bin/bash")) || Files.isExecutable(Path.of("/usr/bin/bash"));
    }

    /**
     * Runs rg over the corpus {@code passes} times; returns the best MiB/s by wall clock and by CPU time
     * (user + system of rg, read with bash's {@code times} builtin).
     */
    static Throughput.Rate measure(Path rg, RuleSet rules, Corpus corpus, Path work, int passes)
            throws IOException, InterruptedException {
        List<String> patterns = new ArrayList<>();
        for (Rule r : rules.rules()) {
            r.regex().ifPresent(p -> patterns.add(p.pattern()));
        }
        Path file = work.resolve("rg-patterns.txt");
        Files.write(file, patterns, StandardCharsets.UTF_8);
        // bash runs rg and then prints the CPU times of its children: "0m1.234s 0m0.056s" on the second line
        List<String> cmd = new ArrayList<>(List.of("bash", "-c", "\"$0\" \"$@\" > /dev/null; rc=$?; times; exit $rc",
                rg.toString(), "--no-config", "-j1", "-P", "-U", "-c", "--no-messages", "-f", file.toString()));
        for (String f : corpus.files()) {
            cmd.add(corpus.root().resolve(f).toString());
        }
        Path output = work.resolve("rg-output.txt");
        long bestWall = Long.MAX_VALUE;
        double bestCpu = Double.MAX_VALUE;
        for (int i = 0; i < passes; i++) {
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            if (!p.waitFor(30, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IOException("rg did not finish");
            }
            long wall = System.nanoTime() - t0;
            List<String> lines = Files.readAllLines(output);
            // rg exits 0 (matches) or 1 (none); 2 is an error such as a regex it cannot compile.
            if (p.exitValue() > 1 || lines.size() < 2) {
                throw new IOException("rg failed (exit " + p.exitValue() + "): " + (lines.isEmpty() ? "" : lines.get(0)));
            }
            bestWall = Math.min(bestWall, wall);
            bestCpu = Math.min(bestCpu, cpuSeconds(lines.get(lines.size() - 1)));
        }
        double mib = corpus.chars() / (1024.0 * 1024.0);
        return new Throughput.Rate(mib / (bestWall / 1e9), mib / bestCpu);
    }

    /** Sums the user and system times of a {@code times} line such as {@code 0m1.234s 0m0.056s}. */
    static double cpuSeconds(String timesLine) throws IOException {
        Matcher m = TIME.matcher(timesLine);
        double total = 0;
        int found = 0;
        while (m.find()) {
            total += Integer.parseInt(m.group(1)) * 60 + Double.parseDouble(m.group(2));
            found++;
        }
        if (found != 2) {
            throw new IOException("unexpected output of bash times: " + timesLine);
        }
        return Math.max(total, 1e-3);
    }

    private static final Pattern TIME = Pattern.compile("(\\d+)m([0-9.]+)s");
}
