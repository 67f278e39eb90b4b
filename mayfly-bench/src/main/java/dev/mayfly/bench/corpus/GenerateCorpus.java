package dev.mayfly.bench.corpus;

import dev.mayfly.scanner.SecretScanner;
import dev.mayfly.scanner.rules.Rule;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the scanner corpus and nothing else, for {@code bench/scan.sh}, which times {@code mayfly scan}
 * from outside: {@code java -cp … dev.mayfly.bench.corpus.GenerateCorpus DIR [MiB]} puts the files under
 * {@code DIR/corpus} and the ground truth in {@code DIR/truth.tsv} (outside the scanned tree), with the same
 * seed and repetitions as {@link CorpusBench}, so the bytes are those the scored run measures. It also
 * writes {@code DIR/rg-patterns.txt}, the built-in rules' regexes one a line, ripgrep's side of the
 * comparison (what {@link RipgrepBaseline} gives {@code rg -P}).
 */
public final class GenerateCorpus {
    private GenerateCorpus() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "target/bench/scanner-corpus");
        long mib = args.length > 1 ? Long.parseLong(args[1]) : 200;
        Corpus corpus = CorpusGenerator.generate(dir, mib * 1024 * 1024, mib >= 50 ? 4 : 1, CorpusBench.SEED);
        System.out.printf("%s: %d files, %d bytes, %d planted secrets%n", corpus.root(), corpus.files().size(),
                corpus.chars(), corpus.truth().stream().filter(p -> !p.decoy()).count());
        List<String> patterns = new ArrayList<>();
        for (Rule r : SecretScanner.create().rules().rules()) {
            r.regex().ifPresent(p -> patterns.add(p.pattern()));
        }
        Files.write(dir.resolve("rg-patterns.txt"), patterns, StandardCharsets.UTF_8);
    }
}
