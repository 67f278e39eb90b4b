package dev.mayfly.cli.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.core.json.Json;
import dev.mayfly.core.secret.OpaqueSecret;
import dev.mayfly.core.secret.SecretKind;
import org.junit.jupiter.api.Test;

class JsonLineLayoutTest {
    @Test
    void oneJsonObjectPerLineWithSecretsMasked() throws Exception {
        String secret = OpaqueSecret.generate(SecretKind.REFRESH_TOKEN).secret().reveal();
        LoggerContext ctx = new LoggerContext();
        LoggingEvent e = new LoggingEvent("fqcn", ctx.getLogger("dev.mayfly.test"), Level.WARN,
                "client sent refresh_token={}", new IllegalStateException("boom " + secret), new Object[] {secret});
        JsonLineLayout layout = new JsonLineLayout();
        layout.setContext(ctx);
        layout.start();
        String line = layout.doLayout(e);
        assertThat(line).endsWith("\n").doesNotContain(secret);
        JsonNode json = Json.mapper().readTree(line);
        assertThat(json.get("level").asText()).isEqualTo("WARN");
        assertThat(json.get("logger").asText()).isEqualTo("dev.mayfly.test");
        assertThat(json.get("msg").asText()).startsWith("client sent refresh_token=");
        assertThat(json.get("error").asText()).contains("IllegalStateException");
    }
}
