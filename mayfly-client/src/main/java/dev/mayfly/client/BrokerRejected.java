package dev.mayfly.client;

import dev.mayfly.client.classify.AuthFailure;
import dev.mayfly.core.error.MayflyError;

/** The broker answered the request with an error that another broker node would repeat (a 4xx). */
final class BrokerRejected extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient AuthFailure failure;
    private final transient MayflyError asSent;

    BrokerRejected(AuthFailure failure) {
        this(failure, null);
    }

    /** @param asSent the answer read field for field ({@code BrokerErrors}), or null */
    BrokerRejected(AuthFailure failure, MayflyError asSent) {
        super(failure.toString(), null, false, false);
        this.failure = failure;
        this.asSent = asSent;
    }

    /** The broker's error as it sent it; the classification's catalog error when that was not kept. */
    MayflyError asSent() {
        return asSent != null ? asSent : failure.toError();
    }

    AuthFailure failure() {
        return failure;
    }
}
