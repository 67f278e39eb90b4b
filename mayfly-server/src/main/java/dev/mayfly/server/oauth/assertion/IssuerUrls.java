package dev.mayfly.server.oauth.assertion;

import java.net.InetAddress;
import java.net.URI;
import java.util.Locale;

/**
 * Which URLs a federated issuer (and its {@code jwks_uri}) may have: https, or http to a loopback address only
 * (a test issuer, a local sidecar). Keys fetched over plain http from elsewhere could be swapped on the way.
 */
public final class IssuerUrls {
    private IssuerUrls() {
    }

    public static boolean isAcceptable(URI uri) {
        if (uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            return false;
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("https")) {
            return true;
        }
        return scheme.equals("http") && isLoopback(uri.getHost());
    }

    private static boolean isLoopback(String host) {
        String h = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        if (h.equalsIgnoreCase("localhost")) {
            return true;
        }
        // Only literal addresses: resolving a name here would ask DNS about whatever an admin typed.
        if (!h.matches("[0-9.]+|[0-9a-fA-F:]+")) {
            return false;
        }
        try {
            return InetAddress.getByName(h).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }
}
