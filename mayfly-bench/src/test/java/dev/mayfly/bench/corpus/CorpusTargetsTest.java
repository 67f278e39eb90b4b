package dev.mayfly.bench.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mayfly.scanner.SecretScanner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scanner's recall and decoy targets (issue 6) on a small corpus: every Mayfly credential found in
 * every context, at least 95% of all planted secrets, no checksummed or structured decoy flagged.
 * Throughput is measured by the bench run, never here.
 */
class CorpusTargetsTest {
    @TempDir
    static Path dir;
    static Corpus corpus;
    static Score score;

    @BeforeAll
    static void scoreSmallCorpus() throws IOException {
        corpus = CorpusGenerator.generate(dir.resolve("a"), 1L << 20, 1, CorpusBench.SEED);
        score = Scorer.score(SecretScanner.create(), corpus);
    }

    @Test
    void everySecretTypeIsPlantedInEveryContextThatCanCarryIt() {
        Set<String> pairs = new HashSet<>();
        corpus.truth().stream().filter(p -> !p.decoy()).forEach(p -> pairs.add(p.category() + "/" + p.context()));
        for (SecretType t : SecretType.values()) {
            for (Context c : Context.values()) {
                assertThat(pairs.contains(t.label() + "/" + c)).as(t + " in " + c).isEqualTo(c.admits(t));
            }
        }
        Set<String> decoys = new HashSet<>();
        corpus.truth().stream().filter(Plant::decoy).forEach(p -> decoys.add(p.category()));
        assertThat(decoys).hasSize(DecoyType.values().length);
    }

    @Test
    void findsEveryMayflyCredentialInEveryContext() {
        assertThat(score.misses()).noneMatch(m -> m.startsWith("mayfly_"));
        assertThat(score.mayflyRecall()).isEqualTo(1.0);
    }

    @Test
    void findsAtLeastNinetyFivePercentOfAllSecrets() {
        assertThat(score.recall()).as(score.misses().toString()).isGreaterThanOrEqualTo(0.95);
    }

    @Test
    void flagsNoChecksummedOrStructuredDecoy() {
        assertThat(score.strictDecoysFlagged()).as(score.decoyHits().toString()).isZero();
    }

    /**
     * Issue 24: URI passwords (odd characters, escaped tool-call arguments), Basic credentials, passwords
     * told in words and Slack tokens with sequential ids are found; no identifier or stand-in decoy is
     * flagged, and nothing outside a plant is reported.
     */
    @Test
    void findsIssue24ShapesAndFlagsNoIdentifier() {
        assertThat(score.misses()).as("misses").noneMatch(m -> m.startsWith("uri_password") || m.startsWith("basic_password")
                || m.startsWith("disclosed_password") || m.startsWith("slack_token"));
        assertThat(score.decoysFlagged()).as(score.decoyHits().toString()).isZero();
        assertThat(score.falsePositives()).isEmpty();
    }

    @Test
    void sameSeedSameCorpus() throws IOException {
        Corpus again = CorpusGenerator.generate(dir.resolve("b"), 1L << 20, 1, CorpusBench.SEED);
        assertThat(again.truth()).isEqualTo(corpus.truth());
        for (String f : corpus.files()) {
            assertThat(Files.mismatch(corpus.root().resolve(f), again.root().resolve(f))).as(f).isEqualTo(-1L);
        }
        Corpus other = CorpusGenerator.generate(dir.resolve("c"), 256L * 1024, 1, CorpusBench.SEED + 1);
        assertThat(Files.mismatch(other.root().resolve(other.files().get(0)), corpus.root().resolve(corpus.files().get(0))))
                .isNotEqualTo(-1L);
    }

    @Test
    void groundTruthIsKeptApartFromTheCorpus() throws IOException {
        assertThat(Files.exists(dir.resolve("a/truth.tsv"))).isTrue();
        assertThat(corpus.root()).isEqualTo(dir.resolve("a/corpus"));
        try (var files = Files.walk(corpus.root())) {
            assertThat(files.filter(Files::isRegularFile).map(p -> p.getFileName().toString())).doesNotContain("truth.tsv");
        }
        assertThat(Plant.fromTsv(corpus.truth().get(0).toTsv())).isEqualTo(corpus.truth().get(0));
    }
}
