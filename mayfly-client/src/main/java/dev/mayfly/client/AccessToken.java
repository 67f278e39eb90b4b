package dev.mayfly.client;

import dev.mayfly.core.secret.Secret;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An access token: the secret value (a {@link Secret}, so it never shows in a log or a {@code toString})
 * and what the client knows about it. For a token a {@link TokenSource} handed out, {@link #expiresAt()} is
 * measured on the client's clock from the moment the request was sent plus {@code expires_in} (RFC 6749
 * §5.1), so it never lies on the late side whatever the broker's clock says, and {@link #refreshAt()} is when
 * the source will replace it.
 *
 * <p>A token obtained some other way (an environment variable, a pipe, a cache) is wrapped with
 * {@link #of(Secret)} or {@link #of(Secret, Instant)}: what is known of it comes from its own claims, read
 * unverified ({@link UnverifiedJwt}). Only such a token can have an unknown expiry: then {@link #expiresAt()},
 * {@link #issuedAt()} and {@link #refreshAt()} are null and {@link #isExpired} is false. Immutable.
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
        this.issuedAt = issuedAt;
        this.expiresAt = expiresAt;
        this.refreshAt = refreshAt;
        this.scopes = List.copyOf(scopes);
        this.audiences = List.copyOf(audiences);
        this.sessionId = sessionId;
        this.taskId = taskId;
        this.tier = tier;
        this.request = request;
    }

    /**
     * A token obtained outside a {@link TokenSource}, described by its own claims (read unverified): its
     * {@code exp}, {@code iat}, scopes, audiences, session and task. The expiry is unknown (null) when the
     * token is not a readable JWT or has no {@code exp}.
     */
    public static AccessToken of(Secret value) {
        return of(value, null);
    }

    /**
     * As {@link #of(Secret)}, with the expiry the holder knows ({@code expires_at} it was told); null falls
     * back to the token's own {@code exp}.
     */
    public static AccessToken of(Secret value, Instant expiresAt) {
        Objects.requireNonNull(value, "value");
        UnverifiedJwt p = UnverifiedJwt.read(value.reveal()).orElse(null);
        Instant exp = expiresAt != null ? expiresAt : p == null ? null : p.expiresAt();
        return new AccessToken(value, "Bearer", p == null ? null : p.issuedAt(), exp, exp,
                p == null ? List.of() : p.scopes(), p == null ? List.of() : p.audience(),
                p == null ? null : p.sessionId(), p == null ? null : p.taskId(), p == null ? null : p.tier(), null);
    }

    /** A token from a token-endpoint answer, with its refresh point chosen by the source's policy. */
    static AccessToken issued(TokenResponse r, TokenRequest request, SourceContext ctx) {
        Instant refreshAt = ctx.refreshPolicy.refreshAt(r.sentAt(), r, ctx.lockedRandom());
        return new AccessToken(r.accessToken(), r.tokenType(), r.sentAt(), r.expiresAt(), refreshAt,
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

    /** When it was issued; null when unknown (see {@link #of(Secret)}). */
    public Instant issuedAt() {
        return issuedAt;
    }

    /** When it expires; null only for a token of unknown expiry (see {@link #of(Secret)}). */
    public Instant expiresAt() {
        return expiresAt;
    }

    /**
     * When the source refreshes it: a jittered point at or after the broker's {@code refresh_after}. For a
     * token made with {@link #of(Secret)}, its expiry (possibly null).
     */
    public Instant refreshAt() {
        return refreshAt;
    }

    /** From issue to expiry; zero when either is unknown. */
    public Duration lifetime() {
        return issuedAt == null || expiresAt == null ? Duration.ZERO : Duration.between(issuedAt, expiresAt);
    }

    /** True once it has expired; false while its expiry is unknown. */
    public boolean isExpired(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }

    /** Time left; zero when expired or the expiry is unknown. */
    public Duration remaining(Instant now) {
        if (expiresAt == null) {
            return Duration.ZERO;
        }
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

    /**
     * What the token says about itself, read without verifying it; empty when it is not a readable JWT. Read
     * when asked (for display and hints), not when the token is made: a source issuing tokens never pays for it.
     */
    public Optional<UnverifiedJwt> claims() {
        return UnverifiedJwt.read(value.reveal());
    }

    /** The request this token answers; null for a token made with {@link #of(Secret)}. */
    public TokenRequest request() {
        return request;
    }

    @Override
    public String toString() {
        return "AccessToken[" + (taskId == null ? "session " + sessionId : "task " + taskId)
                + ", expiresAt=" + expiresAt + ", refreshAt=" + refreshAt + ", value=redacted]";
    }
}
