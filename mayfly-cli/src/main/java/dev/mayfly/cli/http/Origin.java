package dev.mayfly.cli.http;

import java.net.URI;
import java.util.Locale;

/**
 * The origin of a URL (RFC 6454: scheme, host, port), compared exactly. A string prefix test is not a
 * comparison: {@code http://127.0.0.1:847} is a prefix of {@code http://127.0.0.1:8470}, and so is
 * {@code http://127.0.0.1}. Stateless.
 */
final class Origin {
    private Origin() {
    }

    /** The RFC 6454 serialisation: {@code scheme://host[:port]}, lower-cased, the default port left out. */
    static String of(URI u) {
        String scheme = lower(u.getScheme());
        int port = port(u, scheme);
        return scheme + "://" + lower(u.getHost()) + (port == defaultPort(scheme) ? "" : ":" + port);
    }

    static boolean same(URI a, URI b) {
        return of(a).equals(of(b));
    }

    private static int port(URI u, String scheme) {
        return u.getPort() >= 0 ? u.getPort() : defaultPort(scheme);
    }

    private static int defaultPort(String scheme) {
        return "https".equals(scheme) ? 443 : "http".equals(scheme) ? 80 : -1;
    }

    private static String lower(String s) {
        return s == null ? "" : s.toLowerCase(Locale.ROOT);
    }
}
