package dev.mayfly.scanner.logback;

import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.IThrowableProxy;
import dev.mayfly.scanner.Redactor;

/**
 * Logback's stack-trace converter ({@code %ex}) with secrets masked: exception messages quote input more
 * often than log messages do. Register it as {@code maskedEx} and put {@code %maskedEx} in the pattern
 * (Logback then stops appending its own unmasked stack trace). Options are those of {@code %ex}.
 */
public class SecretMaskingThrowableConverter extends ThrowableProxyConverter {
    private final Redactor redactor = Redactors.forIssuer(null);

    @Override
    protected String throwableProxyToString(IThrowableProxy tp) {
        return redactor.redact(super.throwableProxyToString(tp));
    }
}
