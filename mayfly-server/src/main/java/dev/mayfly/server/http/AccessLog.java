package dev.mayfly.server.http;

import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;
import org.slf4j.MarkerFactory;

/**
 * The access log: one INFO line per request on the logger {@value #LOGGER}. Every field of the line that a
 * client controls is made safe here, at the source: the request id was refused as one if the scanner flags it
 * ({@link ClientText#requestId}), a method outside the standard ones and a path with parameters (or one no route
 * matched) are redacted by the scanner, the rest are numbers and catalog codes. So the line is written with the
 * {@link #MASKED_AT_SOURCE} marker, and the log's masking converter need not scan it a second time: that scan
 * of every request's line cost ~5% of the broker's CPU per token under load (issue 23). Any other line, on this
 * logger or another, is still scanned by the converter. Thread-safe.
 */
public final class AccessLog {
    /** The access log's logger. */
    public static final String LOGGER = "dev.mayfly.server.access";

    /**
     * Marks a line of {@value #LOGGER} whose every argument was masked before it was logged; converters may then
     * print it as it is. Nothing else may carry it.
     */
    public static final Marker MASKED_AT_SOURCE = MarkerFactory.getMarker("MAYFLY_MASKED_AT_SOURCE");

    private static final Logger LOG = LoggerFactory.getLogger(LOGGER);
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS",
            "TRACE", "CONNECT");

    private AccessLog() {
    }

    /**
     * Logs one finished request.
     *
     * @param requestId a request id from {@link ClientText#requestId} (never a secret)
     * @param method    the method as the client sent it
     * @param route     the request's path, already redacted where the client chose it (see {@code Router})
     * @param code      the catalog code of a failure, or null
     */
    static void finished(String requestId, String method, String route, int status, Object code, long durationMs) {
        if (!LOG.isInfoEnabled(MASKED_AT_SOURCE)) {
            return;
        }
        // One string built here instead of a formatted message: fewer passes over the line.
        String line = "request_id=" + requestId + " method=" + loggableMethod(method) + " route=" + route
                + " status=" + status + " code=" + (code == null ? "-" : code) + " duration_ms=" + durationMs;
        LOG.info(MASKED_AT_SOURCE, line);
    }

    /** A standard method as it is; anything else is client text and goes through the scanner. */
    static String loggableMethod(String method) {
        return method != null && METHODS.contains(method) ? method : ClientText.redacted(method);
    }
}
