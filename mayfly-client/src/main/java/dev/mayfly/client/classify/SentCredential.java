package dev.mayfly.client.classify;

import dev.mayfly.client.UnverifiedJwt;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What the client knows of the credential it sent with a request: nothing at all, that it sent none, or
 * that it sent a token and (when known) when that token expires. The classifier falls back on this
 * expiry when the response itself does not say why it failed. Never holds the token itself. Immutable.
 */
public final class SentCredential {
    private enum State { UNSAID, NONE, TOKEN }

    private static final SentCredential UNSAID = new SentCredential(State.UNSAID, null);
    private static final SentCredential NONE = new SentCredential(State.NONE, null);
    private static final SentCredential OPAQUE = new SentCredential(State.TOKEN, null);

    private final State state;
    private final Instant expiresAt;

    private SentCredential(State state, Instant expiresAt) {
        this.state = state;
        this.expiresAt = expiresAt;
    }

    /** The caller does not say what it sent. */
    public static SentCredential unknown() {
        return UNSAID;
    }

    /** No credential was sent: a 401 then means {@code MISSING} (RFC 6750 §3.1). */
    public static SentCredential none() {
        return NONE;
    }

    /** A token whose expiry the client does not know (an opaque token). */
    public static SentCredential opaqueToken() {
        return OPAQUE;
    }

    /** A token that expires at {@code expiresAt}. */
    public static SentCredential expiringAt(Instant expiresAt) {
        return new SentCredential(State.TOKEN, Objects.requireNonNull(expiresAt, "expiresAt"));
    }

    /**
     * A JWT that was sent: its {@code exp} (RFC 7519 §4.1.4) is read from the payload <em>without</em>
     * verifying the signature, which is fine for deciding whether to refresh and never used to trust it.
     * Anything that is not a readable JWT counts as an opaque token. The token is not kept.
     */
    public static SentCredential jwt(String compactJwt) {
        return readExp(compactJwt).map(SentCredential::expiringAt).orElse(OPAQUE);
    }

    /** True when the client says it sent a credential. */
    public boolean sent() {
        return state == State.TOKEN;
    }

    /** True when the client says it sent no credential. */
    public boolean sentNone() {
        return state == State.NONE;
    }

    public Optional<Instant> expiresAt() {
        return Optional.ofNullable(expiresAt);
    }

    static Optional<Instant> readExp(String compactJwt) {
        return UnverifiedJwt.read(compactJwt).map(UnverifiedJwt::expiresAt);
    }

    @Override
    public String toString() {
        switch (state) {
            case NONE: return "SentCredential[none]";
            case UNSAID: return "SentCredential[unknown]";
            default: return "SentCredential[token, expiresAt=" + (expiresAt == null ? "unknown" : expiresAt) + "]";
        }
    }
}
