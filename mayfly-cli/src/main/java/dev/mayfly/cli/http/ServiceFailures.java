package dev.mayfly.cli.http;

import dev.mayfly.client.HttpReply;
import dev.mayfly.client.AccessToken;
import dev.mayfly.client.classify.AuthFailure;
import dev.mayfly.client.classify.AuthFailureClassifier;
import dev.mayfly.client.classify.SentCredential;
import dev.mayfly.core.error.MayflyError;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;

/**
 * What a failed answer from any service means, for {@code mayfly http}: the {@code mayfly-client} SDK's
 * {@link AuthFailureClassifier} reads Mayfly's envelope, OAuth and RFC 6750/9449 challenges and the
 * documented formats of AWS, Azure, Google, GitHub, Kubernetes and Vault, falling back on the sent token's
 * own {@code exp}; the result is a catalog error. Thread-safe.
 */
final class ServiceFailures {
    private final AuthFailureClassifier classifier;
    private final Clock clock;

    ServiceFailures(Clock clock) {
        this.clock = clock;
        // The CLI's clock, so the test seam and the token's exp agree with the broker's view of time.
        this.classifier = AuthFailureClassifier.builder().clock(clock).build();
    }

    MayflyError classify(HttpReply r, AccessToken sent, String target) {
        SentCredential credential = sent.expiresAt() != null ? SentCredential.expiringAt(sent.expiresAt())
                : SentCredential.opaqueToken();
        Optional<AuthFailure> failure = classifier.classify(r.status(), r.headers(),
                new String(r.body(), StandardCharsets.UTF_8), credential);
        if (failure.isPresent()) {
            return failure.get().toError();
        }
        // Below 400 (a redirect, which is never followed with a bearer token): by status.
        return r.error(credential, clock, target);
    }
}
