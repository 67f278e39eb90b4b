package dev.mayfly.verifier;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * The form in which a DPoP proof's {@code htu} and the request's own URI are compared (RFC 9449 §4.3 step 9):
 * without query and fragment, after RFC 3986 §6.2.2 syntax-based and §6.2.3 scheme-based normalisation
 * (scheme and host lower-cased, the scheme's default port dropped, an empty path made {@code /}, dot segments
 * removed, percent-encodings upper-cased). Stateless.
 */
final class HttpTargetUri {
    private HttpTargetUri() {
    }

    /** The normalised form, or {@code null} when {@code uri} is not an absolute http(s) URI with a host. */
    static String normalise(String uri) {
        if (uri == null) {
            return null;
        }
        URI u;
        try {
            u = new URI(uri.trim());
        } catch (URISyntaxException e) {
            return null;
        }
        String scheme = u.getScheme() == null ? null : u.getScheme().toLowerCase(Locale.ROOT);
        if (!"https".equals(scheme) && !"http".equals(scheme) || u.getRawAuthority() == null || u.getHost() == null) {
            return null;
        }
        if (u.getRawUserInfo() != null) {
            return null;
        }
        int port = u.getPort();
        if (port == defaultPort(scheme)) {
            port = -1;
        }
        String path = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath();
        path = upperCasePercentEncodings(URI.create("http://h" + path).normalize().getRawPath());
        StringBuilder sb = new StringBuilder(scheme).append("://").append(u.getHost().toLowerCase(Locale.ROOT));
        if (port >= 0) {
            sb.append(':').append(port);
        }
        return sb.append(path.isEmpty() ? "/" : path).toString();
    }

    private static int defaultPort(String scheme) {
        return "https".equals(scheme) ? 443 : 80;
    }

    private static String upperCasePercentEncodings(String path) {
        StringBuilder sb = new StringBuilder(path);
        for (int i = sb.indexOf("%"); i >= 0 && i + 2 < sb.length(); i = sb.indexOf("%", i + 1)) {
            sb.setCharAt(i + 1, Character.toUpperCase(sb.charAt(i + 1)));
            sb.setCharAt(i + 2, Character.toUpperCase(sb.charAt(i + 2)));
        }
        return sb.toString();
    }
}
