package dev.mayfly.client;

import dev.mayfly.client.classify.AuthFailure;

/** The broker answered the request with an error that another broker node would repeat (a 4xx). */
final class BrokerRejected extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient AuthFailure failure;

    BrokerRejected(AuthFailure failure) {
        super(failure.toString(), null, false, false);
        this.failure = failure;
    }

    AuthFailure failure() {
        return failure;
    }
}
