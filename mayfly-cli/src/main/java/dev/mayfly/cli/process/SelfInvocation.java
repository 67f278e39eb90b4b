package dev.mayfly.cli.process;

import dev.mayfly.cli.Main;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How to run this very {@code mayfly} again as a child process: the same Java, the same class path, the same
 * entry point. Used for {@code reauth_command}s that start with {@code mayfly}, so recovery never depends
 * on which (if any) {@code mayfly} is on the PATH.
 */
public final class SelfInvocation {
    private SelfInvocation() {
    }

    public static List<String> argv(List<String> args) {
        List<String> argv = new ArrayList<>();
        argv.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        argv.add("-cp");
        argv.add(System.getProperty("java.class.path"));
        argv.add(Main.class.getName());
        argv.addAll(args);
        return argv;
    }
}
