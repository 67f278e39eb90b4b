package dev.mayfly.cli.context;

import picocli.CommandLine.Option;

/** {@code --url}: which broker to talk to. */
public final class BrokerOptions {
    @Option(names = "--url", paramLabel = "URL",
            description = "Broker URL (default: $MAYFLY_URL, else " + CliContext.DEFAULT_URL + ").")
    public String url;
}
