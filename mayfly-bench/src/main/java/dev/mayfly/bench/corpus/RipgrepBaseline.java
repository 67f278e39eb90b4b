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

    /** Runs rg over the corpus {@code passes} times; returns the best MiB/s. */
    static double mibPerSecond(Path rg, RuleSet rules, Corpus corpus, Path work, int passes)
            throws IOException, InterruptedException {
        List<String> patterns = new ArrayList<>();
        for (Rule r : rules.rules()) {
            r.regex().ifPresent(p -> patterns.add(p.pattern()));
        }
        Path file = work.resolve("rg-patterns.txt");
        Files.write(file, patterns, StandardCharsets.UTF_8);
        List<String> cmd = new ArrayList<>(List.of(rg.toString(), "--no-config", "-j1", "-P", "-U", "-c", "--no-messages",
                "-f", file.toString()));
        for (String f : corpus.files()) {
            cmd.add(corpus.root().resolve(f).toString());
        }
        long best = Long.MAX_VALUE;
        for (int i = 0; i < passes; i++) {
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(work.resolve("rg-output.txt").toFile())
                    .start();
            if (!p.waitFor(30, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IOException("rg did not finish");
            }
            // rg exits 0 (matches) or 1 (none); 2 is an error such as a regex it cannot compile.
            if (p.exitValue() > 1) {
                throw new IOException("rg failed (exit " + p.exitValue() + "): "
                        + Files.readString(work.resolve("rg-output.txt")).lines().findFirst().orElse(""));
            }
            best = Math.min(best, System.nanoTime() - t0);
        }
        return corpus.chars() / (1024.0 * 1024.0) / (best / 1e9);
    }
}
