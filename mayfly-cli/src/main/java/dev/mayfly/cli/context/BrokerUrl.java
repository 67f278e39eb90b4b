package dev.mayfly.cli.context;

import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The shape check of a broker URL. {@code localhost:8470} parses as a URI with the scheme {@code localhost},
 * and {@code broker.example} as a relative path, so both would otherwise reach the credential cache as a key
 * no login ever wrote, and the user would be told to log in to a broker the CLI cannot even address.
 */
final class BrokerUrl {
    private BrokerUrl() {
    }

    /**
     * The broker URLs in a comma-separated list (one URL, or several nodes of one broker), each checked and
     * without a trailing slash, in the order given, duplicates dropped: the list is also the credential
     * cache's key, so {@code A,B} and {@code A/,B} name one session.
     */
    static List<String> parse(String list, String from) {
        List<String> urls = new ArrayList<>();
        for (String part : list.split(",", -1)) {
            String url = part.trim();
            if (url.isEmpty()) {
                throw new MayflyException(ErrorCode.USAGE, "The broker URL list '" + list + "' (from " + from
                        + ") has an empty entry; separate URLs with single commas, e.g. --url http://a:8470,http://b:8470.");
            }
            check(url, from);
            String normal = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
            if (!urls.contains(normal)) {
                urls.add(normal);
            }
        }
        return List.copyOf(urls);
    }

    /** The URLs of a normalised list as {@link #parse} made it (the form commands pass around). */
    static List<String> split(String normalised) {
        return List.copyOf(Arrays.asList(normalised.split(",")));
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
