package dev.mayfly.cli.context;

import java.util.List;
import picocli.CommandLine.Option;

/**
 * {@code --url}: which broker to talk to. Several nodes of one broker are given comma-separated or by
 * repeating the option; {@link #url} then holds them joined by commas, in the order given, and
 * {@link CliContext#brokerUrl(String)} checks and normalises each.
 */
public final class BrokerOptions {
    public String url;

    @Option(names = "--url", paramLabel = "URL",
            description = "Broker URL; several nodes comma-separated or repeated, tried in order when one is down "
                    + "(default: $MAYFLY_URL, else " + CliContext.DEFAULT_URL + ").")
    void url(List<String> values) {
        url = values == null || values.isEmpty() ? null : String.join(",", values);
    }
}
