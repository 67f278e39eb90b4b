package dev.mayfly.cli.scan;

import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyException;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * What {@code mayfly scan PATH...} reads: the files named, every regular file under the directories named
 * (sorted, not following symbolic links, without {@code .git} directories), and stdin for {@code -} or no
 * path. What a directory walk passes over is recorded as {@link Skipped}, so the report can say so. A path
 * that does not exist is {@code NOT_FOUND} before anything is scanned; error messages show a path through
 * {@code shown}, since a secret pasted where a path was expected must not be echoed. Immutable.
 */
record ScanInputs(List<Input> inputs, List<Skipped> skipped) {
    static final String STDIN = "-";

    /**
     * One input: a file (or {@code null} for stdin) and the name findings carry. {@code named} inputs were
     * given on the command line and are scanned whatever they hold (memory dumps are binary); files found
     * by walking a directory are sniffed and skipped when binary.
     */
    record Input(Path file, String name, boolean named) {
        boolean isStdin() {
            return file == null;
        }
    }

    /** Something a directory walk passed over, and why: {@code binary}, {@code git_directory}, {@code symlink}, {@code unreadable}, {@code not_regular}. */
    record Skipped(String path, String reason) {
        java.util.Map<String, Object> toMap() {
            return java.util.Map.of("file", path, "reason", reason);
        }
    }

    static ScanInputs resolve(List<String> paths, UnaryOperator<String> shown) {
        List<String> args = paths == null || paths.isEmpty() ? List.of(STDIN) : paths;
        List<Input> inputs = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        boolean stdinSeen = false;
        for (String arg : args) {
            if (arg.equals(STDIN)) {
                if (!stdinSeen) {
                    inputs.add(new Input(null, STDIN, true));
                    stdinSeen = true;
                }
                continue;
            }
            Path p = Path.of(arg);
            if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                throw new MayflyException(ErrorCode.NOT_FOUND, "No such file or directory: " + shown.apply(arg));
            }
            if (Files.isDirectory(p)) {
                walk(p, inputs, skipped, shown);
            } else if (!Files.isReadable(p)) {
                throw new MayflyException(ErrorCode.PRECONDITION, "Cannot read " + shown.apply(arg) + " (permission denied).");
            } else {
                inputs.add(new Input(p, arg, true));
            }
        }
        return new ScanInputs(List.copyOf(inputs), List.copyOf(skipped));
    }

    private static void walk(Path root, List<Input> inputs, List<Skipped> skipped, UnaryOperator<String> shown) {
        List<Input> found = new ArrayList<>();
        List<Skipped> passed = new ArrayList<>();
        try {
            // A directory named through a symbolic link is walked (links inside it are not followed); its files
            // keep names under the name given.
            Path start = Files.isSymbolicLink(root) ? root.toRealPath() : root;
            UnaryOperator<Path> named = start == root ? p -> p : p -> root.resolve(start.relativize(p));
            Files.walkFileTree(start, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                    Path dir = named.apply(d);
                    if (!d.equals(start) && dir.getFileName().toString().equals(".git")) {
                        passed.add(new Skipped(dir.toString(), "git_directory"));
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) {
                    Path file = named.apply(f);
                    if (attrs.isSymbolicLink()) {
                        passed.add(new Skipped(file.toString(), "symlink"));
                    } else if (!attrs.isRegularFile()) {
                        passed.add(new Skipped(file.toString(), "not_regular"));
                    } else if (!Files.isReadable(f)) {
                        passed.add(new Skipped(file.toString(), "unreadable"));
                    } else {
                        found.add(new Input(file, file.toString(), false));
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path f, IOException e) {
                    passed.add(new Skipped(named.apply(f).toString(), "unreadable"));
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new MayflyException(ErrorCode.PRECONDITION, "Cannot list " + shown.apply(root.toString()) + ".");
        }
        found.sort(Comparator.comparing(Input::name));
        passed.sort(Comparator.comparing(Skipped::path));
        inputs.addAll(found);
        skipped.addAll(passed);
    }

    boolean readsStdin() {
        return inputs.stream().anyMatch(Input::isStdin);
    }
}
