package dev.mayfly.client;

import dev.mayfly.client.classify.AuthFailure;
import java.util.List;
import java.util.Optional;

/**
 * The credential is valid but not allowed to do this (RFC 6750 §3.1 {@code insufficient_scope}, a 403, an
 * AWS {@code AccessDenied}...): permanent. Retrying or refreshing will not help; escalate with
 * {@link #requiredScope()}.
 */
public final class PermissionDeniedException extends AuthFailureException {
    private static final long serialVersionUID = 1L;

    public PermissionDeniedException(AuthFailure failure) {
        super(failure);
        if (failure.kind() != AuthFailure.Kind.DENIED) {
            throw new IllegalArgumentException("not a denial: " + failure.kind());
        }
    }

    /** The scope or permission the server said is required, when it said. */
    public Optional<String> requiredScope() {
        return failure().requiredScope();
    }

    public List<String> missingScopes() {
        return failure().missingScopes();
    }
}
