package dev.mayfly.client.classify;

import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Tells what a failed HTTP response from any service means for the credential that was sent: expired
 * (refresh and retry), revoked, invalid, missing, denied (stop and escalate), rate limited, unavailable,
 * or undecidable. It reads Mayfly's envelope and OAuth errors, RFC 6750 and RFC 9449 challenges, RFC 6749
 * token-endpoint errors, the documented formats of AWS (including S3 presigned URLs), Microsoft Entra/Azure
 * (ARM, Graph, Key Vault, Storage and SAS, Service Bus, Cosmos DB), Google APIs, GitHub, Kubernetes and
 * Vault, and the wording gateways and JWT libraries put in their messages ("Jwt is expired", "jwt expired",
 * "Signature has expired"); when the response does not say, the token's own {@code exp} decides; when nothing
 * does, the answer is {@link AuthFailure.Kind#UNKNOWN}, never retryable, so no caller loops on it.
 *
 * <pre>{@code
 * AuthFailureClassifier classifier = AuthFailureClassifier.create();
 * Optional<AuthFailure> failure = classifier.classify(response, SentCredential.jwt(token));
 * }</pre>
 *
 * Implementations are stateless and thread-safe.
 */
public interface AuthFailureClassifier {
    /**
     * @param status  the HTTP status
     * @param headers the response headers (case-insensitive lookups)
     * @param body    the response body as text, or null; bodies over 256 KiB are not parsed
     * @param sent    what the client knows of the credential it sent
     * @return empty for a status below 400, else the classification
     */
    Optional<AuthFailure> classify(int status, HttpHeaders headers, String body, SentCredential sent);

    default Optional<AuthFailure> classify(HttpResponse<String> response, SentCredential sent) {
        return classify(response.statusCode(), response.headers(), response.body(), sent);
    }

    /** The standard classifier on the system clock, tolerating 30 s of clock skew. */
    static AuthFailureClassifier create() {
        return builder().build();
    }

    static Builder builder() {
        return new Builder();
    }

    /** Builder; not thread-safe. */
    final class Builder {
        private Clock clock = Clock.systemUTC();
        private Duration clockSkew = Duration.ofSeconds(30);

        private Builder() {
        }

        /** The clock the token's {@code exp} is compared with. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * How close to its {@code exp} a token counts as expired when the response does not say (default
         * 30 s, the broker's leeway): a server whose clock runs ahead rejects a token just before its exp.
         */
        public Builder clockSkew(Duration clockSkew) {
            if (clockSkew.isNegative()) {
                throw new IllegalArgumentException("clockSkew must not be negative");
            }
            this.clockSkew = clockSkew;
            return this;
        }

        public AuthFailureClassifier build() {
            return new StandardClassifier(clock, clockSkew);
        }
    }
}
