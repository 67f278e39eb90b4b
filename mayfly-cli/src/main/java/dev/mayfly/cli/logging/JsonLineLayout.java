package dev.mayfly.cli.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.LayoutBase;
import dev.mayfly.core.json.Json;
import dev.mayfly.scanner.Redactor;
import dev.mayfly.scanner.SecretScanner;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One JSON object per log line ({@code MAYFLY_LOG_FORMAT=json}): {@code ts}, {@code level}, {@code logger},
 * {@code thread}, {@code msg} and, for failures, {@code error}. Message and stack trace pass through Mayfly's
 * scanner first, like the text format, so a secret never reaches the log in either (the broker's access lines,
 * masked field by field where they are written, skip that second scan: {@link MaskedAtSource}).
 */
public final class JsonLineLayout extends LayoutBase<ILoggingEvent> {
    private final Redactor redactor = SecretScanner.create().redactor();

    @Override
    public String doLayout(ILoggingEvent e) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("ts", Instant.ofEpochMilli(e.getTimeStamp()).toString());
        line.put("level", e.getLevel().toString());
        line.put("logger", e.getLoggerName());
        line.put("thread", e.getThreadName());
        line.put("msg", MaskedAtSource.holds(e) ? e.getFormattedMessage() : redactor.redact(e.getFormattedMessage()));
        if (e.getThrowableProxy() != null) {
            line.put("error", redactor.redact(ThrowableProxyUtil.asString(e.getThrowableProxy())));
        }
        return Json.write(line) + "\n";
    }
}
