package dev.mayfly.cli;

import dev.mayfly.cli.context.CliContext;

/** Entry point of the {@code mayfly} command. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        // Chosen before the first logger exists: logback reads its configuration once.
        if ("json".equalsIgnoreCase(System.getenv("MAYFLY_LOG_FORMAT")) && System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "logback-json.xml");
        }
        int code = run(args);
        if (code != ServerCommand.KEEP_RUNNING) {
            HttpSelectorThreads.stopAll(); // else the JVM's exit waits up to 300 ms for them
            System.exit(code);
        }
    }

    /** Runs a command line in this process's environment and returns its exit code (from the error catalog). */
    public static int run(String... args) {
        return run(CliContext.fromProcess(), args);
    }

    /** Runs a command line with an environment and clock of the caller's choosing (tests). */
    public static int run(CliContext context, String... args) {
        return MayflyCommand.commandLine(context, args).execute(args);
    }
}
