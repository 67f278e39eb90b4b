package dev.mayfly.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.core.json.Json;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * Which URI a DPoP proof's {@code htu} must name at the broker (RFC 9449 §4.3 check 9): the request's URI as the
 * broker received it (its listener's scheme, the {@code Host} header, the path), or the same path under the
 * public origin the operator configured with {@code --issuer}. Both name this broker; the second is what a client
 * behind a TLS-terminating proxy signs, where the broker itself sees {@code http://}. Forwarded headers are never
 * read: there is no trusted proxy to believe. Which of the two is meant is read from the proof's own
 * {@code htu}, unverified: it only picks the value the verifier then compares with, signature first.
 */
final class ProofTargetUri {
    private ProofTargetUri() {
    }

    /**
     * @param received  the request's URI without query, as received
     * @param publicUrl the configured public URL, or null
     * @param path      the request's path
     * @param proofs    the request's {@code DPoP} headers
     */
    static String choose(String received, PublicUrl publicUrl, String path, List<String> proofs) {
        if (publicUrl == null || proofs.size() != 1) {
            return received;
        }
        String htu = unverifiedHtu(proofs.get(0));
        return htu != null && publicUrl.origin().equals(origin(htu)) ? publicUrl.origin() + publicUrl.pathPrefix() + path : received;
    }

    /**
     * {@code --issuer} split for the comparison: its origin ({@link #origin}) and its path without a trailing
     * slash, which a proxy that publishes the broker under a path strips before the broker sees the request.
     */
    record PublicUrl(String origin, String pathPrefix) {
        static PublicUrl of(String issuer) {
            String origin = issuer == null ? null : ProofTargetUri.origin(issuer);
            if (origin == null) {
                return null;
            }
            String path = URI.create(issuer).getRawPath();
            return new PublicUrl(origin, path == null ? "" : path.replaceAll("/+$", ""));
        }
    }

    /** {@code scheme://host:port} with scheme and host in lower case and the default port written out; null if not a URL. */
    static String origin(String url) {
        try {
            URI u = new URI(url);
            String scheme = u.getScheme();
            String host = u.getHost();
            if (scheme == null || host == null) {
                return null;
            }
            scheme = scheme.toLowerCase(Locale.ROOT);
            int port = u.getPort() != -1 ? u.getPort() : "https".equals(scheme) ? 443 : "http".equals(scheme) ? 80 : -1;
            return port == -1 ? null : scheme + "://" + host.toLowerCase(Locale.ROOT) + ":" + port;
        } catch (java.net.URISyntaxException e) {
            return null;
        }
    }

    private static String unverifiedHtu(String proof) {
        int first = proof.indexOf('.');
        int second = first < 0 ? -1 : proof.indexOf('.', first + 1);
        if (second < 0) {
            return null;
        }
        try {
            byte[] payload = Base64.getUrlDecoder().decode(proof.substring(first + 1, second));
            JsonNode htu = Json.mapper().readTree(new String(payload, StandardCharsets.UTF_8)).path("htu");
            return htu.isTextual() ? htu.asText() : null;
        } catch (IllegalArgumentException | java.io.IOException e) {
            return null; // not a JWT: the verifier refuses it with the right message
        }
    }
}
