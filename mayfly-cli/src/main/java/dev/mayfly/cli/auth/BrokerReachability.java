package dev.mayfly.cli.auth;

import dev.mayfly.cli.context.CliContext;
import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyError;
import dev.mayfly.core.error.MayflyException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.util.List;

/**
 * A TCP connect to the broker's address, made only when there is no cached session for it: "Not logged in"
 * sends the user to {@code mayfly auth login}, which cannot help while the broker is down or the URL points
 * nowhere, so an unreachable broker is reported as what it is ({@code UNAVAILABLE}) first.
 */
final class BrokerReachability {
    /** Long enough for a remote broker over a slow link; a refused local port answers in microseconds. */
    private static final int CONNECT_TIMEOUT_MS = 3000;

    private BrokerReachability() {
    }

    /**
     * Returns when something accepts connections at the host and port of the URL (of any of several nodes);
     * else throws {@code UNAVAILABLE} naming the last.
     */
    static void require(String url) {
        List<String> nodes = CliContext.brokerUrls(url);
        for (int i = 0; i < nodes.size() - 1; i++) {
            try {
                requireOne(nodes.get(i));
                return;
            } catch (MayflyException e) {
                // the next node may be up
            }
        }
        requireOne(nodes.get(nodes.size() - 1));
    }

    private static void requireOne(String url) {
        URI uri = URI.create(url);
        int port = uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        String origin = uri.getScheme() + "://" + uri.getAuthority();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(uri.getHost(), port), CONNECT_TIMEOUT_MS);
        } catch (IOException | IllegalArgumentException | SecurityException e) {
            throw new MayflyException(MayflyError.builder(ErrorCode.UNAVAILABLE,
                            "Cannot reach " + origin + " (" + e.getClass().getSimpleName() + "): is the broker "
                                    + "running there? Start it with 'mayfly server', or point at it with --url or "
                                    + "MAYFLY_URL.")
                    .retryAfterMs(1000).build());
        }
    }
}
