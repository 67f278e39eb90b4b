package dev.mayfly.cli.output;

import picocli.CommandLine.Option;

/** {@code --json}: the envelope even on a terminal. */
public final class OutputOptions {
    @Option(names = "--json", description = "Print the JSON envelope even on a terminal.")
    public boolean json;
}
