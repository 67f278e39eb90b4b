package dev.mayfly.cli.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.mayfly.server.http.AccessLog;
import java.util.List;
import org.slf4j.Marker;

/**
 * Tells a broker access-log line, whose fields {@link AccessLog} masked before logging, from every other line,
 * which the converters scan. Both the logger and the marker must match: the marker alone on another logger does
 * not skip the scan.
 */
final class MaskedAtSource {
    private MaskedAtSource() {
    }

    static boolean holds(ILoggingEvent event) {
        if (!AccessLog.LOGGER.equals(event.getLoggerName()) || event.getThrowableProxy() != null) {
            return false;
        }
        List<Marker> markers = event.getMarkerList();
        return markers != null && markers.contains(AccessLog.MASKED_AT_SOURCE);
    }
}
