package dev.mayfly.cli;

import picocli.CommandLine;

/** Entry point of the {@code mayfly} command. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        int code = run(args);
        if (code != ServerCommand.KEEP_RUNNING) {
            System.exit(code);
        }
    }

    /** Runs a command line and returns its exit code (from the error catalog). */
    public static int run(String... args) {
        CommandLine cli = MayflyCommand.commandLine();
        return cli.execute(args);
    }
}
