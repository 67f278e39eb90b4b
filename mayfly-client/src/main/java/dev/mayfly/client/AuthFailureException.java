package dev.mayfly.client;

import dev.mayfly.client.classify.AuthFailure;
import dev.mayfly.core.error.MayflyException;
import java.util.Objects;

/**
 * A call failed for a reason about its credential, classified: {@link #failure()} says which kind, what
 * recovers and whether retrying can help; {@link #error()} is the same as a catalog error (so the CLI maps
 * it to its exit code). The message never contains a credential.
 */
public class AuthFailureException extends MayflyException {
    private static final long serialVersionUID = 1L;

    private final transient AuthFailure failure;

    public AuthFailureException(AuthFailure failure) {
        super(Objects.requireNonNull(failure, "failure").toError());
        this.failure = failure;
    }

    public AuthFailure failure() {
        return failure;
    }

    /** The matching exception type: {@link PermissionDeniedException} for a denial, else this class. */
    static AuthFailureException of(AuthFailure failure) {
        return failure.kind() == AuthFailure.Kind.DENIED ? new PermissionDeniedException(failure) : new AuthFailureException(failure);
    }
}
