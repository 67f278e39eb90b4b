package dev.mayfly.cli.context;

import picocli.CommandLine.Option;

/** {@code --no-auto-refresh}: for agents that want to see expiry themselves rather than have it handled. */
public final class RefreshOptions {
    @Option(names = "--no-auto-refresh",
            description = "Do not refresh an expired access token: fail with CREDENTIALS_EXPIRED (exit 10) instead.")
    public boolean noAutoRefresh;

    public boolean autoRefresh() {
        return !noAutoRefresh;
    }
}
