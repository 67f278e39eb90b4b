package dev.mayfly.client;

import dev.mayfly.client.classify.AuthFailureClassifier;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.Objects;

/**
 * An {@link HttpClient} that attaches a {@link TokenSource}'s token ({@code Authorization: Bearer}, RFC 6750
 * §2.1; for a DPoP-bound token {@code Authorization: DPoP} and a fresh proof per request, RFC 9449 §7.1, sent once
 * more with the server's nonce when it demands one) and acts on auth failures as the {@link AuthFailureClassifier} reads them, from any service:
 *
 * <ul>
 *   <li>{@code EXPIRED}: refreshes the token once and sends the request once more, if its body can be
 *       replayed (no body, or one of known length up to {@link Builder#maxReplayBytes}, which is buffered);
 *       if not, throws {@link AuthFailureException} after refreshing, so the caller can resend;</li>
 *   <li>{@code DENIED}: throws {@link PermissionDeniedException} with the required scope; permanent;</li>
 *   <li>{@code REVOKED}, {@code INVALID}, {@code MISSING}: throws {@link AuthFailureException};</li>
 *   <li>anything else (rate limits, outages, undecidable failures, non-auth errors): returns the response.</li>
 * </ul>
 *
 * It never sends a request more than twice. Thread-safe.
 *
 * <pre>{@code
 * AuthenticatedHttpClient http = AuthenticatedHttpClient.builder(tokens)
 *         .token(TokenRequest.builder().audience("https://orders.example").scopes("orders:read").build())
 *         .build();
 * HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("https://orders.example/v1/orders")).build(),
 *         HttpResponse.BodyHandlers.ofString());
 * }</pre>
 */
public interface AuthenticatedHttpClient {
    /**
     * Sends {@code request} with the token, as {@link HttpClient#send}. An {@code Authorization} header on
     * {@code request} is replaced.
     *
     * @throws PermissionDeniedException when the server denies the credential permission
     * @throws AuthFailureException      for other auth failures the client cannot fix by one refresh
     * @throws dev.mayfly.core.error.MayflyException when no token can be had (e.g. the broker is unreachable)
     */
    <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) throws IOException, InterruptedException;

    static Builder builder(TokenSource tokens) {
        return new Builder(tokens);
    }

    /** Builder; not thread-safe. */
    final class Builder {
        private final TokenSource tokens;
        private HttpClient httpClient;
        private TokenRequest token = TokenRequest.session();
        private AuthFailureClassifier classifier;
        private Clock clock = Clock.systemUTC();
        private int maxReplayBytes = 1 << 20;
        private int maxErrorBodyBytes = 1 << 20;

        private Builder(TokenSource tokens) {
            this.tokens = Objects.requireNonNull(tokens, "tokens");
        }

        public Builder httpClient(HttpClient httpClient) {
            this.httpClient = Objects.requireNonNull(httpClient);
            return this;
        }

        /** Which token to attach (default: the session token). */
        public Builder token(TokenRequest token) {
            this.token = Objects.requireNonNull(token);
            return this;
        }

        public Builder classifier(AuthFailureClassifier classifier) {
            this.classifier = Objects.requireNonNull(classifier);
            return this;
        }

        /** The clock token expiry is compared with; use the token source's. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        /** Request bodies of known length up to this are buffered so they can be replayed (default 1 MiB). */
        public Builder maxReplayBytes(int bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("maxReplayBytes must not be negative");
            }
            this.maxReplayBytes = bytes;
            return this;
        }

        /** Error bodies (status 400+) are read for classification up to this size (default 1 MiB). */
        public Builder maxErrorBodyBytes(int bytes) {
            if (bytes < 1024) {
                throw new IllegalArgumentException("maxErrorBodyBytes must be at least 1024");
            }
            this.maxErrorBodyBytes = bytes;
            return this;
        }

        public AuthenticatedHttpClient build() {
            HttpClient http = httpClient != null ? httpClient : HttpClient.newHttpClient();
            AuthFailureClassifier c = classifier != null ? classifier : AuthFailureClassifier.builder().clock(clock).build();
            return new TokenAttachingClient(tokens, http, token, c, maxReplayBytes, maxErrorBodyBytes, clock);
        }
    }
}
