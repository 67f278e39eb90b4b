package dev.mayfly.cli.console;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Opens a URL with {@code xdg-open} when there is a display to open it on ({@code DISPLAY} or
 * {@code WAYLAND_DISPLAY}) and {@code xdg-open} is on the {@code PATH}. Never waits for the browser and never
 * fails the command: without a browser the printed link is enough.
 */
final class BrowserLauncher {
    private BrowserLauncher() {
    }

    static boolean open(Map<String, String> env, String url) {
        if (blank(env.get("DISPLAY")) && blank(env.get("WAYLAND_DISPLAY"))) {
            return false;
        }
        Path opener = onPath(env.get("PATH"), "xdg-open");
        if (opener == null) {
            return false;
        }
        try {
            new ProcessBuilder(opener.toString(), url)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .redirectInput(ProcessBuilder.Redirect.PIPE)
                    .start()
                    .getOutputStream().close();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static Path onPath(String path, String program) {
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, program);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
