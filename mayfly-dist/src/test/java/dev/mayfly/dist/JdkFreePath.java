package dev.mayfly.dist;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * A {@code PATH} directory with every command of {@code /usr/bin} and {@code /bin} except those of a JDK.
 * {@code PATH=/usr/bin:/bin} alone would not do: Debian links {@code /usr/bin/java} (and javac, jlink...) to
 * the installed JDK, and a release that quietly used it would pass a test that meant "no JDK".
 */
final class JdkFreePath {
    private JdkFreePath() {
    }

    static Path create(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (Path source : List.of(Path.of("/usr/bin"), Path.of("/bin"))) {
            if (!Files.isDirectory(source)) {
                continue;
            }
            try (Stream<Path> commands = Files.list(source)) {
                for (Path command : (Iterable<Path>) commands::iterator) {
                    Path link = dir.resolve(command.getFileName().toString());
                    if (Files.exists(link) || !Files.isExecutable(command) || Files.isDirectory(command) || isJdk(command)) {
                        continue;
                    }
                    Files.createSymbolicLink(link, command);
                }
            }
        }
        return dir;
    }

    /** A command that resolves into a JDK or JRE (under /usr/lib/jvm on Debian, or any dir with a release file). */
    static boolean isJdk(Path command) {
        try {
            Path real = command.toRealPath();
            if (real.toString().contains("/jvm/")) {
                return true;
            }
            Path home = real.getParent() == null ? null : real.getParent().getParent();
            return home != null && Files.isRegularFile(home.resolve("release")) && Files.isDirectory(home.resolve("lib"))
                    && Files.exists(home.resolve("bin/java"));
        } catch (IOException e) {
            return true; // a dangling link: leave it out
        }
    }
}
