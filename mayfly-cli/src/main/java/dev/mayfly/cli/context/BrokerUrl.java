package dev.mayfly.cli.context;

import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyException;
import java.net.URI;
import java.net.URISyntaxException;

/**
 * The shape check of a broker URL. {@code localhost:8470} parses as a URI with the scheme {@code localhost},
 * and {@code broker.example} as a relative path, so both would otherwise reach the credential cache as a key
 * no login ever wrote, and the user would be told to log in to a broker the CLI cannot even address.
 */
final class BrokerUrl {
    private BrokerUrl() {
    }

    /** Throws {@code USAGE} naming where the URL came from ({@code --url}, {@code $MAYFLY_URL}, ...) unless it is http(s)://HOST[:PORT][/PATH]. */
    static void check(String url, String from) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw bad(url, from, "is not a URL");
        }
        String scheme = uri.getScheme();
        if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
            throw bad(url, from, url.contains("://") ? "must start with http:// or https://"
                    : "has no scheme (did you mean http://" + url + "?)");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw bad(url, from, "names no host");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw bad(url, from, "has a query or fragment; give the broker's base URL");
        }
    }

    private static MayflyException bad(String url, String from, String why) {
        return new MayflyException(ErrorCode.USAGE, "The broker URL '" + url + "' (from " + from + ") " + why
                + "; e.g. --url http://127.0.0.1:8470.");
    }
}
