package dev.mayfly.core.error;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.sql.SQLTransientException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * The one place that turns a failure into a catalog error. Handlers throw; this decides what the user
 * sees. Unknown failures become {@link ErrorCode#INTERNAL} with a message that names the request, never
 * the exception's text (which may quote input, and so a secret) and never a stack trace.
 */
public final class ErrorMapper {
    private ErrorMapper() {
    }

    public static MayflyError toError(Throwable failure) {
        return toError(failure, null);
    }

    /** @param requestId included in the message of an internal error so operators can find the log line */
    public static MayflyError toError(Throwable failure, String requestId) {
        Throwable t = unwrap(failure);
        if (t instanceof MayflyException) {
            return ((MayflyException) t).error();
        }
        if (t instanceof JsonProcessingException) {
            return MayflyError.of(ErrorCode.USAGE, "Request body is not valid JSON for this endpoint.");
        }
        if (t instanceof TimeoutException || t instanceof HttpTimeoutException) {
            return MayflyError.of(ErrorCode.TIMEOUT, "The operation ran past its deadline.");
        }
        if (t instanceof ConnectException) {
            return MayflyError.builder(ErrorCode.UNAVAILABLE, "A service Mayfly depends on is unreachable.")
                    .retryAfterMs(1000)
                    .build();
        }
        if (t instanceof SQLTransientException) {
            return MayflyError.builder(ErrorCode.UNAVAILABLE, "The database is busy or unreachable.")
                    .retryAfterMs(1000)
                    .build();
        }
        String where = requestId == null ? "" : " (request " + requestId + ")";
        return MayflyError.of(ErrorCode.INTERNAL, "Internal error" + where + "; the details are in the broker log.");
    }

    private static Throwable unwrap(Throwable t) {
        Throwable current = t;
        while ((current instanceof CompletionException || current instanceof ExecutionException
                || current instanceof UncheckedIOException) && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }
}
