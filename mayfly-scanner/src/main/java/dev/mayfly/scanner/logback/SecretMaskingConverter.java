package dev.mayfly.scanner.logback;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.mayfly.scanner.Redactor;

/**
 * A Logback converter that prints the formatted message with every secret the scanner finds masked
 * ({@code mfy_rt_********}). Register it and use it instead of {@code %msg}:
 *
 * <pre>{@code
 * <conversionRule conversionWord="maskedMsg"
 *                 converterClass="dev.mayfly.scanner.logback.SecretMaskingConverter"/>
 * <pattern>%d %level %logger - %maskedMsg%n</pattern>
 * }</pre>
 *
 * The optional first option is the broker's issuer URL ({@code %maskedMsg{https://mayfly.example}}), so
 * that only its access tokens count as Mayfly's; every JWT is masked either way. The scanner is built
 * once per distinct option and shared; converting is thread-safe.
 */
public class SecretMaskingConverter extends ClassicConverter {
    private Redactor redactor;

    @Override
    public void start() {
        redactor = Redactors.forIssuer(getFirstOption());
        super.start();
    }

    @Override
    public String convert(ILoggingEvent event) {
        String message = event.getFormattedMessage();
        if (message == null || message.isEmpty()) {
            return message;
        }
        return (redactor == null ? Redactors.forIssuer(null) : redactor).redact(message);
    }
}
