package dev.mayfly.client.classify;

import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Asks each format in turn, most specific first: Mayfly's own errors, then the vendors' structured codes
 * (which beat the generic signals they also send), then RFC 6750/9449 challenges, then RFC 6749 bodies,
 * then the body's own words ({@link MessageFormat}), then the status. Fills in what the format left open: {@code Retry-After}, and {@code expired_at} from the
 * token's own {@code exp}. Stateless and thread-safe.
 */
final class StandardClassifier implements AuthFailureClassifier {
    private static final List<Recognizer> FORMATS = List.of(
            new MayflyFormat(),
            new AzureStorageFormat(),
            new ServiceBusFormat(),
            new CosmosFormat(),
            new AwsFormat(),
            new AzureFormat(),
            new GoogleFormat(),
            new GitHubFormat(),
            new KubernetesFormat(),
            new VaultFormat(),
            new BearerFormat(),
            new OAuthFormat(),
            new MessageFormat());
    private static final Recognizer LAST = new StatusFallback();

    private final Clock clock;
    private final Duration clockSkew;

    StandardClassifier(Clock clock, Duration clockSkew) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.clockSkew = Objects.requireNonNull(clockSkew, "clockSkew");
    }

    @Override
    public Optional<AuthFailure> classify(int status, HttpHeaders headers, String body, SentCredential sent) {
        if (status < 400) {
            return Optional.empty();
        }
        ResponseView r = new ResponseView(status, headers == null ? HttpHeaders.of(Map.of(), (a, b) -> true) : headers,
                body, sent == null ? SentCredential.unknown() : sent, clock.instant(), clockSkew);
        AuthFailure.Builder b = null;
        for (Recognizer format : FORMATS) {
            b = format.recognize(r);
            if (b != null) {
                break;
            }
        }
        if (b == null) {
            b = LAST.recognize(r);
        }
        b.status(status);
        if (b.retryAfter() == null) {
            b.retryAfter(r.retryAfter());
        }
        if (b.kind() == AuthFailure.Kind.EXPIRED && b.expiredAt() == null) {
            b.expiredAt(r.sentExpiry());
        }
        return Optional.of(b.build());
    }

    @Override
    public String toString() {
        return "AuthFailureClassifier[clockSkew=" + clockSkew + "]";
    }
}
