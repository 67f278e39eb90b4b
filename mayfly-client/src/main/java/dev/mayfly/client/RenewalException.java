package dev.mayfly.client;

import dev.mayfly.client.classify.AuthFailure;
import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyError;
import dev.mayfly.core.error.MayflyException;
import java.time.Duration;

/**
 * Why one attempt to get a token failed: {@link #permanent()} failures end the token's retries and are
 * thrown to every caller; the others are retried with backoff. Messages name what happened, never a
 * credential. Internal: callers see {@link MayflyException}s.
 */
final class RenewalException extends Exception {
    private static final long serialVersionUID = 1L;

    private final boolean permanent;
    private final transient AuthFailure failure;
    private final transient MayflyError error;
    private final Duration retryAfter;
    private final transient MayflyError reported;

    private RenewalException(String message, boolean permanent, AuthFailure failure, MayflyError error, Duration retryAfter,
                             Throwable cause, MayflyError reported) {
        super(message, cause, false, false);
        this.permanent = permanent;
        this.failure = failure;
        this.error = error;
        this.retryAfter = retryAfter;
        this.reported = reported;
    }

    static RenewalException retryable(String message, Duration retryAfter, Throwable cause) {
        return retryable(message, retryAfter, cause, null);
    }

    /** @param reported what a fail-fast source reports for this one attempt (the classified transport failure), or null */
    static RenewalException retryable(String message, Duration retryAfter, Throwable cause, MayflyError reported) {
        return new RenewalException(message, false, null, null, retryAfter, cause, reported);
    }

    static RenewalException permanent(AuthFailure failure) {
        return permanent(failure, null);
    }

    /** @param asSent the broker's answer as it sent it, which a fail-fast source reports; or null */
    static RenewalException permanent(AuthFailure failure, MayflyError asSent) {
        return new RenewalException(failure.toString(), true, failure, null, null, null, asSent);
    }

    static RenewalException permanent(MayflyError error) {
        return new RenewalException(error.toString(), true, null, error, null, null, null);
    }

    boolean permanent() {
        return permanent;
    }

    AuthFailure failure() {
        return failure;
    }

    Duration retryAfter() {
        return retryAfter;
    }

    /**
     * What a fail-fast source throws for this one attempt: the failure as classified (the broker's answer as it
     * sent it, a failed TLS handshake as {@code PRECONDITION}...), else what {@link #toCallerException()} gives.
     */
    MayflyException reportedException() {
        return reported != null ? new MayflyException(reported, getCause()) : toCallerException();
    }

    /** The exception callers get for a permanent failure; a new instance per caller. */
    MayflyException toCallerException() {
        if (failure != null) {
            return AuthFailureException.of(failure);
        }
        if (error != null) {
            return new MayflyException(error);
        }
        return new MayflyException(MayflyError.of(ErrorCode.UNAVAILABLE, getMessage()));
    }
}
