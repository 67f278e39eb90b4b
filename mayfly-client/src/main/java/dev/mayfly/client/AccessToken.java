package dev.mayfly.client;

import dev.mayfly.core.secret.Secret;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An access token handed out by a {@link TokenSource}: the secret value (a {@link Secret}, so it never
 * shows in a log or a {@code toString}) and what the client knows about it. {@link #expiresAt()} is
 * measured on the client's clock from the moment the request was sent plus {@code expires_in} (RFC 6749
 * §5.1), so it never lies on the late side whatever the broker's clock says. {@link #refreshAt()} is when
 * the source will replace it. Immutable.
 */
public final class AccessToken {
    private final Secret value;
    private final String tokenType;
    private final Instant issuedAt;
    private final Instant expiresAt;
    private final Instant refreshAt;
    private final List<String> scopes;
    private final List<String> audiences;
    private final String sessionId;
    private final String taskId;
    private final String tier;
    final TokenRequest request;

    AccessToken(Secret value, String tokenType, Instant issuedAt, Instant expiresAt, Instant refreshAt,
                List<String> scopes, List<String> audiences, String sessionId, String taskId, String tier,
                TokenRequest request) {
        this.value = Objects.requireNonNull(value, "value");
        this.tokenType = tokenType == null ? "Bearer" : tokenType;
        this.issuedAt = Objects.requireNonNull(issuedAt, "issuedAt");
        this.expiresAt = Objects.requireNonNull(expiresAt, "expiresAt");
        this.refreshAt = Objects.requireNonNull(refreshAt, "refreshAt");
        this.scopes = List.copyOf(scopes);
        this.audiences = List.copyOf(audiences);
        this.sessionId = sessionId;
        this.taskId = taskId;
        this.tier = tier;
        this.request = request;
    }

    /** A token from a token-endpoint answer, with its refresh point chosen by the source's policy. */
    static AccessToken issued(TokenResponse r, TokenRequest request, SourceContext ctx) {
        Duration delay = ctx.refreshPolicy.refreshDelay(r.expiresIn(), r.refreshAfter(), ctx.lockedRandom());
        return new AccessToken(r.accessToken(), r.tokenType(), r.sentAt(), r.expiresAt(), r.sentAt().plus(delay),
                r.scopes(), r.audiences(), r.sessionId(), r.taskId(), r.tier(), request);
    }

    /** The token itself; reveal it only to put it in an {@code Authorization} header. */
    public Secret value() {
        return value;
    }

    /** {@code Bearer} (RFC 6750). */
    public String tokenType() {
        return tokenType;
    }

    public Instant issuedAt() {
        return issuedAt;
    }

    public Instant expiresAt() {
        return expiresAt;
    }

    /** When the source refreshes it: a jittered point at or after the broker's {@code refresh_after}. */
    public Instant refreshAt() {
        return refreshAt;
    }

    public Duration lifetime() {
        return Duration.between(issuedAt, expiresAt);
    }

    public boolean isExpired(Instant now) {
        return !now.isBefore(expiresAt);
    }

    public Duration remaining(Instant now) {
        Duration d = Duration.between(now, expiresAt);
        return d.isNegative() ? Duration.ZERO : d;
    }

    public List<String> scopes() {
        return scopes;
    }

    public List<String> audiences() {
        return audiences;
    }

    public Optional<String> sessionId() {
        return Optional.ofNullable(sessionId);
    }

    /** The task id, for task tokens. */
    public Optional<String> taskId() {
        return Optional.ofNullable(taskId);
    }

    /** The privilege tier the broker assigned ({@code low}, {@code standard}, {@code high}, {@code critical}). */
    public Optional<String> tier() {
        return Optional.ofNullable(tier);
    }

    /** The request this token answers. */
    public TokenRequest request() {
        return request;
    }

    @Override
    public String toString() {
        return "AccessToken[" + (taskId == null ? "session " + sessionId : "task " + taskId)
                + ", expiresAt=" + expiresAt + ", refreshAt=" + refreshAt + ", value=redacted]";
    }
}
