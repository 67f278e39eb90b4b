package dev.mayfly.verifier;

import dev.mayfly.core.error.MayflyError;

/**
 * A step of the verification pipeline refused the token. Carries the typed {@link Reason} and the catalog
 * error the caller sees. Cheap to throw (no stack trace): rejections are ordinary outcomes, not bugs.
 */
final class Rejection extends Exception {
    private static final long serialVersionUID = 1L;

    private final Reason reason;
    private final transient MayflyError error;

    Rejection(Reason reason, MayflyError error) {
        super(reason.name(), null, false, false);
        if (error.code() != reason.code()) {
            throw new IllegalArgumentException(reason + " must map to " + reason.code() + ", not " + error.code());
        }
        this.reason = reason;
        this.error = error;
    }

    Reason reason() {
        return reason;
    }

    MayflyError error() {
        return error;
    }
}
