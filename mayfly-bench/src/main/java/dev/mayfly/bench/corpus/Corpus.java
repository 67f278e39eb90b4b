package dev.mayfly.bench.corpus;

import java.nio.file.Path;
import java.util.List;

/**
 * A generated corpus: its root directory, its files (relative, {@code /}-separated), its size in
 * characters (all ASCII, so also bytes) and the ground truth.
 */
public record Corpus(Path root, List<String> files, long chars, List<Plant> truth) {
    public Corpus {
        files = List.copyOf(files);
        truth = List.copyOf(truth);
    }
}
