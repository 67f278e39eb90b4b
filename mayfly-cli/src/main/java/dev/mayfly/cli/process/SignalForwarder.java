package dev.mayfly.cli.process;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * While mayfly waits for a child ({@code exec}, {@code run}), INT, TERM and HUP sent to mayfly go to the
 * child instead (with {@code kill -s}), and mayfly keeps waiting: the child decides how to stop, and mayfly
 * still cleans up (exec revokes its task token) and exits with the child's code afterwards. The JVM's own
 * handlers come back on close. (From a terminal, Ctrl-C already reaches the whole process group, so the
 * child may see it twice.)
 */
public final class SignalForwarder implements AutoCloseable {
    private static final List<String> FORWARDED = List.of("INT", "TERM", "HUP");

    private final Map<Signal, SignalHandler> previous = new LinkedHashMap<>();

    public SignalForwarder(Process child) {
        for (String name : FORWARDED) {
            try {
                Signal signal = new Signal(name);
                previous.put(signal, Signal.handle(signal, s -> forward(child, s)));
            } catch (IllegalArgumentException e) {
                // Not available here, or reserved by the JVM (e.g. with -Xrs): leave the default.
            }
        }
    }

    private static void forward(Process child, Signal signal) {
        if (!child.isAlive()) {
            return;
        }
        try {
            new ProcessBuilder("kill", "-s", signal.getName(), Long.toString(child.pid()))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            if ("TERM".equals(signal.getName())) {
                child.destroy(); // SIGTERM on Unix
            }
        }
    }

    @Override
    public void close() {
        previous.forEach((signal, handler) -> {
            try {
                Signal.handle(signal, handler);
            } catch (IllegalArgumentException ignored) {
                // Could not restore: the process is about to exit anyway.
            }
        });
    }
}
