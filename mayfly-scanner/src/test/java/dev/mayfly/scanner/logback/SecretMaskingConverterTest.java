package dev.mayfly.scanner.logback;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.LoggingEvent;
import dev.mayfly.core.secret.SecretKind;
import dev.mayfly.scanner.Fixtures;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Logback converters mask what the scanner finds in messages and stack traces. */
class SecretMaskingConverterTest {
    private static final String RT = Fixtures.mayfly(SecretKind.REFRESH_TOKEN, 61);
    private final LoggerContext context = new LoggerContext();
    private final Logger logger = context.getLogger("test");

    @Test
    void masks_secrets_in_the_formatted_message() {
        SecretMaskingConverter converter = new SecretMaskingConverter();
        converter.setContext(context);
        converter.start();
        LoggingEvent event = new LoggingEvent("fqcn", logger, Level.INFO, "refreshing with {} for {}", null,
                new Object[] {RT, "agent-7"});

        assertThat(converter.convert(event)).isEqualTo("refreshing with mfy_rt_******** for agent-7");
    }

    @Test
    void issuer_option_is_honoured() {
        String other = Fixtures.mayflyJwt("https://other.example", 1);
        SecretMaskingConverter converter = new SecretMaskingConverter();
        converter.setContext(context);
        converter.setOptionList(List.of("https://mayfly.example"));
        converter.start();

        String out = converter.convert(new LoggingEvent("fqcn", logger, Level.INFO, "token " + other, null, null));

        assertThat(out).isEqualTo("token eyJ********");
    }

    @Test
    void works_in_a_pattern_layout_with_stack_traces() {
        PatternLayout layout = new PatternLayout();
        layout.setContext(context);
        layout.getInstanceConverterMap().put("maskedMsg", SecretMaskingConverter::new);
        layout.getInstanceConverterMap().put("maskedEx", SecretMaskingThrowableConverter::new);
        layout.setPattern("%level %maskedMsg%n%maskedEx");
        layout.start();
        IllegalStateException failure = new IllegalStateException("bad refresh token " + RT);

        String line = layout.doLayout(new LoggingEvent("fqcn", logger, Level.WARN, "refresh failed: " + RT, failure,
                null));

        assertThat(line).startsWith("WARN refresh failed: mfy_rt_********")
                .contains("IllegalStateException: bad refresh token mfy_rt_********")
                .doesNotContain(RT, RT.substring(7));
    }

    @Test
    void null_and_empty_messages_pass_through() {
        SecretMaskingConverter converter = new SecretMaskingConverter();
        converter.setContext(context);
        converter.start();

        assertThat(converter.convert(new LoggingEvent("fqcn", logger, Level.INFO, "", null, null))).isEmpty();
    }
}
