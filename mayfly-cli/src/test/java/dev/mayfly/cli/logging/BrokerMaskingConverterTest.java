package dev.mayfly.cli.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import dev.mayfly.core.json.Json;
import dev.mayfly.core.secret.OpaqueSecret;
import dev.mayfly.core.secret.SecretKind;
import dev.mayfly.server.http.AccessLog;
import org.junit.jupiter.api.Test;

/**
 * Only the broker's access lines, marked as masked where they were written, skip the scan; the marker on
 * another logger, an access line without it, or one with a stack trace are scanned as before.
 */
class BrokerMaskingConverterTest {
    private final LoggerContext ctx = new LoggerContext();
    private final String secret = OpaqueSecret.generate(SecretKind.REFRESH_TOKEN).secret().reveal();

    @Test
    void anAccessLineMaskedAtSourceIsPrintedAsItIs() {
        String line = "request_id=req_abc method=POST route=/oauth/token status=200 code=- duration_ms=1";
        assertThat(convert(event(AccessLog.LOGGER, line, true, null))).isEqualTo(line);
    }

    @Test
    void everyOtherLineIsScanned() {
        String line = "client sent refresh_token=" + secret;
        assertThat(convert(event("dev.mayfly.server.other", line, true, null))).doesNotContain(secret);
        assertThat(convert(event(AccessLog.LOGGER, line, false, null))).doesNotContain(secret);
        assertThat(convert(event(AccessLog.LOGGER, line, true, new IllegalStateException("boom")))).doesNotContain(secret);
    }

    @Test
    void theJsonLayoutSkipsTheSameLinesAndNoOthers() throws Exception {
        JsonLineLayout layout = new JsonLineLayout();
        layout.setContext(ctx);
        layout.start();
        String line = "request_id=req_abc method=POST route=/oauth/token status=200 code=- duration_ms=1";
        assertThat(Json.mapper().readTree(layout.doLayout(event(AccessLog.LOGGER, line, true, null))).get("msg").asText())
                .isEqualTo(line);
        assertThat(layout.doLayout(event("dev.mayfly.server.other", "token " + secret, true, null))).doesNotContain(secret);
    }

    private String convert(LoggingEvent e) {
        BrokerMaskingConverter converter = new BrokerMaskingConverter();
        converter.setContext(ctx);
        converter.start();
        return converter.convert(e);
    }

    private LoggingEvent event(String logger, String message, boolean marked, Throwable t) {
        LoggingEvent e = new LoggingEvent("fqcn", ctx.getLogger(logger), Level.INFO, message, t, null);
        if (marked) {
            e.addMarker(AccessLog.MASKED_AT_SOURCE);
        }
        return e;
    }
}
