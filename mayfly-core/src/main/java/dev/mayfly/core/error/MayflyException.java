package dev.mayfly.core.error;

import java.util.Objects;

/** A failure that already knows its catalog entry; the one exception type that crosses Mayfly's layers. */
public class MayflyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient MayflyError error;

    public MayflyException(MayflyError error) {
        super(error.message());
        this.error = Objects.requireNonNull(error);
    }

    public MayflyException(MayflyError error, Throwable cause) {
        super(error.message(), cause);
        this.error = Objects.requireNonNull(error);
    }

    public MayflyException(ErrorCode code, String message) {
        this(MayflyError.of(code, message));
    }

    public MayflyError error() {
        return error;
    }

    public ErrorCode code() {
        return error.code();
    }
}
