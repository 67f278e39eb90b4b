package dev.mayfly.dist;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A {@code .dockerignore} as Docker applies it to a build context: patterns relative to the context root,
 * {@code *} and {@code ?} within one path element, {@code **} across any number of them, and a pattern that
 * matches a directory excludes everything below it. Exceptions ({@code !}) are refused: the file uses none.
 */
final class DockerIgnore {
    private final List<Pattern> patterns;

    private DockerIgnore(List<Pattern> patterns) {
        this.patterns = patterns;
    }

    static DockerIgnore read(Path file) throws IOException {
        List<Pattern> patterns = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            String p = line.strip();
            if (p.isEmpty() || p.startsWith("#")) {
                continue;
            }
            if (p.startsWith("!")) {
                throw new AssertionError(".dockerignore exceptions are not supported by this check: " + p);
            }
            patterns.add(Pattern.compile(regex(p.replaceAll("^/+", "").replaceAll("/+$", ""))));
        }
        return new DockerIgnore(patterns);
    }

    /** Whether a context-relative path ({@code a/b/c}) is left out of the build context. */
    boolean excludes(String path) {
        String prefix = "";
        for (String element : path.split("/")) {
            prefix = prefix.isEmpty() ? element : prefix + "/" + element;
            for (Pattern p : patterns) {
                if (p.matcher(prefix).matches()) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String regex(String glob) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (glob.startsWith("**/", i)) {
                re.append("(?:.*/)?");
                i += 2;
            } else if (glob.startsWith("**", i)) {
                re.append(".*");
                i += 1;
            } else if (c == '*') {
                re.append("[^/]*");
            } else if (c == '?') {
                re.append("[^/]");
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return re.toString();
    }
}
