package dev.mayfly.bench.corpus;

import dev.mayfly.scanner.Decoding;
import dev.mayfly.scanner.SecretScanner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The scanner's corpus run: generates the corpus, scores recall and false positives, measures one-thread
 * throughput with all decoders and with none, and times ripgrep on the same files for comparison.
 * {@code java -cp … dev.mayfly.bench.corpus.CorpusBench DIR [MiB]} runs it alone (default 200 MiB).
 */
public final class CorpusBench {
    public static final long SEED = 20261203L;

    private CorpusBench() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "target/bench");
        long mib = args.length > 1 ? Long.parseLong(args[1]) : 200;
        Files.createDirectories(dir);
        String report = run(dir.resolve("scanner-corpus"), mib * 1024 * 1024, mib >= 50 ? 4 : 1, 3);
        Files.writeString(dir.resolve("scanner-corpus.md"), report);
        System.out.println(report);
    }

    /**
     * Runs everything and returns a Markdown section.
     *
     * @param passes timed passes per measurement (the best counts); the scoring pass warms up first
     */
    public static String run(Path dir, long chars, int reps, int passes) throws Exception {
        Files.createDirectories(dir);
        long t0 = System.nanoTime();
        Corpus corpus = CorpusGenerator.generate(dir, chars, reps, SEED);
        long genMs = (System.nanoTime() - t0) / 1_000_000;
        SecretScanner all = SecretScanner.create();
        SecretScanner none = SecretScanner.builder().decodings(Set.<Decoding>of()).build();
        Score score = Scorer.score(all, corpus);
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "Corpus: %d files, %.1f MiB, %d planted secrets, %d decoys (seed %d, %d reps, "
                + "generated in %d ms)%n%n", corpus.files().size(), corpus.chars() / 1048576.0,
                corpus.truth().stream().filter(p -> !p.decoy()).count(), corpus.truth().stream().filter(Plant::decoy).count(),
                SEED, reps, genMs));
        md.append(score.markdown());
        Throughput.Rate allRate = Throughput.measure(all, corpus, passes);
        Throughput.Rate noneRate = Throughput.measure(none, corpus, passes);
        md.append(String.format(Locale.ROOT, "Throughput, one thread, best of %d passes, MiB per second of wall clock "
                + "(of thread CPU time): all decoders **%.1f (%.1f)**, no decoders %.1f (%.1f)%n%n", passes, allRate.wall(),
                allRate.cpu(), noneRate.wall(), noneRate.cpu()));
        md.append("| file | MiB per CPU-second, all decoders |\n|---|---|\n");
        Throughput.perFile(all, corpus).forEach((f, v) -> md.append(String.format(Locale.ROOT, "| %s | %.1f |%n", f, v)));
        md.append('\n');
        Optional<Path> rg = RipgrepBaseline.find();
        if (rg.isEmpty() || !RipgrepBaseline.bashPresent()) {
            md.append("ripgrep: not installed here, comparison skipped (`rg` is not on CI; it is on the bench machine).\n");
        } else {
            try {
                Throughput.Rate r = RipgrepBaseline.measure(rg.get(), all.rules(), corpus, dir, passes);
                md.append(String.format(Locale.ROOT, "ripgrep (`%s`), same files, best of %d: %.1f (%.1f) MiB/s. "
                        + "mayfly-scanner / rg by wall clock (by CPU time): all decoders **%.2f (%.2f)**, "
                        + "no decoders %.2f (%.2f)%n", RipgrepBaseline.describe(), passes, r.wall(), r.cpu(),
                        allRate.wall() / r.wall(), allRate.cpu() / r.cpu(), noneRate.wall() / r.wall(),
                        noneRate.cpu() / r.cpu()));
            } catch (java.io.IOException e) {
                md.append("ripgrep: comparison failed: ").append(e.getMessage()).append('\n');
            }
        }
        return md.toString();
    }
}
