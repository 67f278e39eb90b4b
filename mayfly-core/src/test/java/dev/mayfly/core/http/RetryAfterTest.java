package dev.mayfly.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyError;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One rule for every error renderer: whole seconds, rounded up, at least one; no header without a hint. */
class RetryAfterTest {
    private static String header(Long retryAfterMs) {
        MayflyError.Builder b = MayflyError.builder(ErrorCode.RATE_LIMITED, "slow down");
        if (retryAfterMs != null) {
            b.retryAfterMs(retryAfterMs);
        }
        Map<String, String> headers = new HashMap<>();
        RetryAfter.addTo(headers, b.build());
        return headers.get("Retry-After");
    }

    @Test
    void roundsUpToWholeSecondsAndNeverSaysZero() {
        assertThat(header(1L)).isEqualTo("1");
        assertThat(header(0L)).isEqualTo("1");
        assertThat(header(1000L)).isEqualTo("1");
        assertThat(header(1001L)).isEqualTo("2");
        assertThat(header(5000L)).isEqualTo("5");
    }

    @Test
    void noHintNoHeader() {
        assertThat(header(null)).isNull();
    }
}
