package dev.mayfly.client.classify;

import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyError;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a failed HTTP response means for the credential that was sent: its {@link Kind}, whether the same
 * call can succeed after the {@link Recovery} without a human ({@link #retryable()}), when the credential
 * expired where that is known, and the hints the server gave (required scope, retry delay, DPoP nonce,
 * claims challenge, Mayfly's {@code reauth_command}). Immutable and thread-safe.
 *
 * <p>{@link #message()} is the server's own description, shortened and with anything shaped like a token
 * removed, so it is safe to log.
 */
public final class AuthFailure {
    /** The eight outcomes of classification, one per way a call with a credential can fail. */
    public enum Kind {
        /** The credential is authentic but past its lifetime: refresh (or log in again) and retry. */
        EXPIRED(ErrorCode.CREDENTIALS_EXPIRED, Recovery.REFRESH, true),
        /** The credential (or its session, task or agent) was revoked: do not replay it. */
        REVOKED(ErrorCode.CREDENTIALS_REVOKED, Recovery.LOG_IN, false),
        /** Malformed, forged, wrong audience, bad signature or proof, clock out of range. */
        INVALID(ErrorCode.CREDENTIALS_INVALID, Recovery.REPLACE_CREDENTIAL, false),
        /** No credential reached the server. */
        MISSING(ErrorCode.CREDENTIALS_MISSING, Recovery.ATTACH_CREDENTIAL, false),
        /** A valid credential that lacks a scope, role or permission: permanent, escalate. */
        DENIED(ErrorCode.PERMISSION_DENIED, Recovery.REQUEST_PERMISSION, false),
        /** Too many requests: wait, then retry. */
        RATE_LIMITED(ErrorCode.RATE_LIMITED, Recovery.RETRY_LATER, true),
        /** The server or something it depends on is unavailable: wait, then retry. */
        UNAVAILABLE(ErrorCode.UNAVAILABLE, Recovery.RETRY_LATER, true),
        /** Nothing in the response or the credential decides it; never retried automatically. */
        UNKNOWN(null, Recovery.STOP, false);

        private final ErrorCode code;
        private final Recovery defaultRecovery;
        private final boolean defaultRetryable;

        Kind(ErrorCode code, Recovery defaultRecovery, boolean defaultRetryable) {
            this.code = code;
            this.defaultRecovery = defaultRecovery;
            this.defaultRetryable = defaultRetryable;
        }

        /** The catalog code for this kind; {@code null} for {@link #UNKNOWN}, whose code depends on the status. */
        public ErrorCode errorCode() {
            return code;
        }
    }

    /** What to do about it. */
    public enum Recovery {
        /** Get a new access token from the session (refresh or exchange) and retry once. */
        REFRESH,
        /** The session or grant is over: authenticate again with the client credentials. */
        LOG_IN,
        /** RFC 9449 §8/§9: send a new DPoP proof with the server's nonce ({@link #dpopNonce()}). */
        RETRY_WITH_NONCE,
        /** Wait ({@link #retryAfter()} when the server said) and retry. */
        RETRY_LATER,
        /** The request's timestamp is outside the server's window: fix the clock; refreshing will not help. */
        FIX_CLOCK,
        /** Stop and escalate: the credential lacks {@link #requiredScope()} or a permission. */
        REQUEST_PERMISSION,
        /** Send a credential. */
        ATTACH_CREDENTIAL,
        /** Do not replay this credential; obtain a different one (right audience, well-formed, re-registered). */
        REPLACE_CREDENTIAL,
        /** Nothing automatic helps (the agent is disabled, the task revoked, or the failure is undecidable). */
        STOP
    }

    /** Which response format decided the classification. */
    public enum Format {
        MAYFLY, OAUTH, BEARER, DPOP, AWS, AZURE, GOOGLE, GITHUB, KUBERNETES, VAULT,
        /** The body's free-text message, read for wording ("Jwt is expired", "Missing Authorization Header"). */
        MESSAGE,
        TOKEN_EXPIRY, HTTP_STATUS
    }

    private final Kind kind;
    private final Recovery recovery;
    private final boolean retryable;
    private final int status;
    private final Format format;
    private final String code;
    private final String message;
    private final Instant expiredAt;
    private final String requiredScope;
    private final List<String> missingScopes;
    private final Duration retryAfter;
    private final String reauthCommand;
    private final String dpopNonce;
    private final String claimsChallenge;

    private AuthFailure(Builder b) {
        this.kind = b.kind;
        this.recovery = b.recovery != null ? b.recovery : b.kind.defaultRecovery;
        this.retryable = b.retryable != null ? b.retryable : b.kind.defaultRetryable;
        this.status = b.status;
        this.format = Objects.requireNonNull(b.format, "format");
        this.code = b.code;
        this.message = b.message;
        this.expiredAt = b.expiredAt == null ? null : b.expiredAt.truncatedTo(ChronoUnit.SECONDS);
        this.requiredScope = b.requiredScope;
        this.missingScopes = b.missingScopes == null ? List.of() : List.copyOf(b.missingScopes);
        this.retryAfter = b.retryAfter;
        this.reauthCommand = b.reauthCommand;
        this.dpopNonce = b.dpopNonce;
        this.claimsChallenge = b.claimsChallenge;
    }

    public static Builder builder(Kind kind, Format format) {
        return new Builder(kind, format);
    }

    /** A builder holding every field of this failure, to derive a changed copy. */
    public Builder toBuilder() {
        Builder b = new Builder(kind, format).recovery(recovery).retryable(retryable).status(status).code(code);
        b.message = message; // already redacted
        b.expiredAt = expiredAt;
        b.requiredScope = requiredScope;
        b.missingScopes = missingScopes;
        b.retryAfter = retryAfter;
        b.reauthCommand = reauthCommand;
        b.dpopNonce = dpopNonce;
        b.claimsChallenge = claimsChallenge;
        return b;
    }

    public Kind kind() {
        return kind;
    }

    public Recovery recovery() {
        return recovery;
    }

    /** True when the same call can succeed after {@link #recovery()} without a human. */
    public boolean retryable() {
        return retryable;
    }

    /** The HTTP status of the response. */
    public int status() {
        return status;
    }

    public Format format() {
        return format;
    }

    /** The server's own error code as received ({@code ExpiredToken}, {@code invalid_grant}, {@code CREDENTIALS_EXPIRED}...). */
    public Optional<String> code() {
        return Optional.ofNullable(code);
    }

    /** The server's description, shortened and redacted; safe to log. */
    public Optional<String> message() {
        return Optional.ofNullable(message);
    }

    /** When the credential expired: from the response when it says, else from the token's own {@code exp}. */
    public Optional<Instant> expiredAt() {
        return Optional.ofNullable(expiredAt);
    }

    /** The scope (or permission) the server said is required, for {@link Kind#DENIED}. */
    public Optional<String> requiredScope() {
        return Optional.ofNullable(requiredScope);
    }

    public List<String> missingScopes() {
        return missingScopes;
    }

    /** How long the server asked the client to wait (RFC 9110 §10.2.3 {@code Retry-After} and equivalents). */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** Mayfly's {@code reauth_command}, when the server is a Mayfly broker and named one. */
    public Optional<String> reauthCommand() {
        return Optional.ofNullable(reauthCommand);
    }

    /** The {@code DPoP-Nonce} to put in the next proof (RFC 9449 §8), for {@link Recovery#RETRY_WITH_NONCE}. */
    public Optional<String> dpopNonce() {
        return Optional.ofNullable(dpopNonce);
    }

    /** The base64 {@code claims} of a Microsoft Entra CAE {@code insufficient_claims} challenge. */
    public Optional<String> claimsChallenge() {
        return Optional.ofNullable(claimsChallenge);
    }

    /** This failure as a catalog error, for exceptions, envelopes and exit codes. */
    public MayflyError toError() {
        ErrorCode c = kind.errorCode() != null ? kind.errorCode() : codeForStatus(status);
        MayflyError.Builder b = MayflyError.builder(c, describe());
        if (c == ErrorCode.CREDENTIALS_EXPIRED) {
            b.expiredAt(expiredAt);
        }
        b.reauthCommand(reauthCommand);
        if (requiredScope != null) {
            b.requiredScope(requiredScope);
        }
        if (!missingScopes.isEmpty()) {
            b.missingScopes(missingScopes);
        }
        if (retryAfter != null) {
            b.retryAfterMs(retryAfter.toMillis());
        }
        b.detail("recovery", recovery.name());
        b.detail("source_format", format.name());
        if (code != null) {
            b.detail("source_code", code);
        }
        return b.build();
    }

    private String describe() {
        String what;
        switch (kind) {
            case EXPIRED: what = "The credential expired" + (expiredAt == null ? "" : " at " + expiredAt); break;
            case REVOKED: what = "The credential was revoked"; break;
            case INVALID: what = "The credential was rejected as invalid"; break;
            case MISSING: what = "No credential reached the server"; break;
            case DENIED: what = "Permission denied" + (requiredScope == null ? "" : "; required: " + requiredScope); break;
            case RATE_LIMITED: what = "Rate limited"; break;
            case UNAVAILABLE: what = "The server is unavailable"; break;
            default: what = "The request failed with HTTP " + status; break;
        }
        return what + " (" + format + (code == null ? "" : " " + code) + (message == null ? "" : ": " + message) + ").";
    }

    static ErrorCode codeForStatus(int status) {
        switch (status) {
            case 400: return ErrorCode.USAGE;
            case 404: return ErrorCode.NOT_FOUND;
            case 409: return ErrorCode.CONFLICT;
            case 412: return ErrorCode.PRECONDITION;
            case 504: return ErrorCode.TIMEOUT;
            default: return ErrorCode.INTERNAL;
        }
    }

    @Override
    public String toString() {
        return "AuthFailure[" + kind + ", recovery=" + recovery + ", retryable=" + retryable + ", status=" + status
                + ", format=" + format + (code == null ? "" : ", code=" + code)
                + (expiredAt == null ? "" : ", expiredAt=" + expiredAt)
                + (requiredScope == null ? "" : ", requiredScope=" + requiredScope)
                + (retryAfter == null ? "" : ", retryAfter=" + retryAfter) + "]";
    }

    /** Builder for {@link AuthFailure}; recovery and retryable default from the kind. Not thread-safe. */
    public static final class Builder {
        private Kind kind;
        private Format format;
        private Recovery recovery;
        private Boolean retryable;
        private int status;
        private String code;
        private String message;
        private Instant expiredAt;
        private String requiredScope;
        private List<String> missingScopes;
        private Duration retryAfter;
        private String reauthCommand;
        private String dpopNonce;
        private String claimsChallenge;

        private Builder(Kind kind, Format format) {
            this.kind = Objects.requireNonNull(kind, "kind");
            this.format = Objects.requireNonNull(format, "format");
        }

        public Builder kind(Kind kind) {
            this.kind = Objects.requireNonNull(kind, "kind");
            return this;
        }

        public Builder format(Format format) {
            this.format = Objects.requireNonNull(format, "format");
            return this;
        }

        public Builder recovery(Recovery recovery) {
            this.recovery = recovery;
            return this;
        }

        public Builder retryable(boolean retryable) {
            this.retryable = retryable;
            return this;
        }

        public Builder status(int status) {
            this.status = status;
            return this;
        }

        public Builder code(String code) {
            this.code = code;
            return this;
        }

        /** The server's description; redacted and shortened here, so it can be passed as received. */
        public Builder message(String message) {
            this.message = Redaction.message(message);
            return this;
        }

        public Builder expiredAt(Instant expiredAt) {
            this.expiredAt = expiredAt;
            return this;
        }

        public Builder requiredScope(String requiredScope) {
            this.requiredScope = requiredScope == null || requiredScope.isBlank() ? null : requiredScope;
            return this;
        }

        public Builder missingScopes(List<String> missingScopes) {
            this.missingScopes = missingScopes;
            return this;
        }

        public Builder retryAfter(Duration retryAfter) {
            this.retryAfter = retryAfter == null || retryAfter.isNegative() ? null : retryAfter;
            return this;
        }

        public Builder reauthCommand(String reauthCommand) {
            this.reauthCommand = reauthCommand;
            return this;
        }

        public Builder dpopNonce(String dpopNonce) {
            this.dpopNonce = dpopNonce;
            return this;
        }

        public Builder claimsChallenge(String claimsChallenge) {
            this.claimsChallenge = claimsChallenge;
            return this;
        }

        Kind kind() {
            return kind;
        }

        Instant expiredAt() {
            return expiredAt;
        }

        Duration retryAfter() {
            return retryAfter;
        }

        public AuthFailure build() {
            return new AuthFailure(this);
        }
    }
}
