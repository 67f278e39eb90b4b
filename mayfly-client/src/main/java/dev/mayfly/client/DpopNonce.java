package dev.mayfly.client;

import dev.mayfly.core.json.Json;
import java.net.http.HttpHeaders;
import java.util.Locale;

/**
 * Recognises a server's demand for a DPoP nonce (RFC 9449 §8, §9): a {@code DPoP-Nonce} header on a 400 from a
 * token endpoint whose {@code error} is {@code use_dpop_nonce}, or on a 401 whose {@code WWW-Authenticate: DPoP}
 * challenge says {@code error="use_dpop_nonce"}. Such a request was not processed, so sending it again with the
 * nonce is safe. Stateless.
 */
final class DpopNonce {
    static final String HEADER = "DPoP-Nonce";
    static final String ERROR = "use_dpop_nonce";

    private DpopNonce() {
    }

    static boolean demanded(int status, HttpHeaders headers, String body) {
        if (headers.firstValue(HEADER).isEmpty()) {
            return false;
        }
        if (status == 401) {
            return headers.allValues("WWW-Authenticate").stream()
                    .anyMatch(c -> c.toLowerCase(Locale.ROOT).startsWith("dpop") && c.contains("error=\"" + ERROR + "\""));
        }
        if (status == 400 && body != null) {
            try {
                return ERROR.equals(Json.mapper().readTree(body).path("error").asText());
            } catch (java.io.IOException | RuntimeException e) {
                return false;
            }
        }
        return false;
    }
}
