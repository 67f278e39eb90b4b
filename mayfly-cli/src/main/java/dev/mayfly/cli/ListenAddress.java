package dev.mayfly.cli;

import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyException;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Checks, before the broker opens its database or generates a key, that the address {@code mayfly server}
 * is to listen on is free: a second broker started by mistake then fails at once, naming the port and the
 * option that moves it, instead of seconds later with Jetty's "Failed to bind".
 */
final class ListenAddress {
    private ListenAddress() {
    }

    static void requireFree(String host, int port) {
        if (port == 0) {
            return; // the system picks a free port
        }
        try (ServerSocket probe = new ServerSocket()) {
            // As Jetty binds: with SO_REUSEADDR, so a port in TIME_WAIT from a broker just stopped counts as free.
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(host, port));
        } catch (BindException e) {
            throw new MayflyException(ErrorCode.PRECONDITION, "Cannot listen on " + host + ":" + port + ": port "
                    + port + " is already in use (another broker?). Stop what listens there, or choose another "
                    + "address with --listen " + host + ":PORT.");
        } catch (IOException e) {
            // Any other failure (an address this host does not have) is left to the broker, which reports it.
        }
    }
}
