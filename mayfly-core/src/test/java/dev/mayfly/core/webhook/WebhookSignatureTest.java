package dev.mayfly.core.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mayfly.core.time.ManualClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {
    private static final String SECRET = "mfy_wh_0123456789ABCDEFGHIJabcdefghij01000000";
    private final ManualClock clock = new ManualClock(Instant.parse("2026-11-22T14:00:00Z"));
    private final byte[] body = "{\"event\":\"revocation.created\"}".getBytes(StandardCharsets.UTF_8);

    @Test
    void theHeaderIsHmacSha256OverTimestampDotBody() throws Exception {
        String header = WebhookSignature.sign(SECRET, clock.instant(), body);
        long t = clock.instant().getEpochSecond();
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = HexFormat.of().formatHex(mac.doFinal((t + "." + new String(body, StandardCharsets.UTF_8))
                .getBytes(StandardCharsets.UTF_8)));
        assertThat(header).isEqualTo("t=" + t + ",v1=" + expected);
        assertThat(WebhookSignature.verify(SECRET, header, body, clock)).isEqualTo(WebhookSignature.Result.VALID);
    }

    @Test
    void tamperedBodyWrongSecretOldTimestampAndGarbageAreRefused() {
        String header = WebhookSignature.sign(SECRET, clock.instant(), body);
        byte[] tampered = "{\"event\":\"revocation.createD\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(WebhookSignature.verify(SECRET, header, tampered, clock)).isEqualTo(WebhookSignature.Result.MISMATCH);
        assertThat(WebhookSignature.verify(SECRET.replace('0', '1'), header, body, clock))
                .isEqualTo(WebhookSignature.Result.MISMATCH);
        clock.advance(Duration.ofMinutes(6));
        assertThat(WebhookSignature.verify(SECRET, header, body, clock)).isEqualTo(WebhookSignature.Result.STALE);
        assertThat(WebhookSignature.verify(SECRET, "t=abc,v1=zz", body, clock)).isEqualTo(WebhookSignature.Result.MALFORMED);
        assertThat(WebhookSignature.verify(SECRET, "v1=00", body, clock)).isEqualTo(WebhookSignature.Result.MALFORMED);
        assertThat(WebhookSignature.verify(SECRET, null, body, clock)).isEqualTo(WebhookSignature.Result.MALFORMED);
    }

    @Test
    void anyOfSeveralSignaturesMayMatch() {
        String header = WebhookSignature.sign(SECRET, clock.instant(), body);
        String rotated = header.replace(",v1=", ",v1=" + "00".repeat(32) + ",v1=");
        assertThat(WebhookSignature.verify(SECRET, rotated, body, clock)).isEqualTo(WebhookSignature.Result.VALID);
    }

    @Test
    void aTimestampNotInAsciiDigitsIsMalformed() {
        String header = WebhookSignature.sign(SECRET, clock.instant(), body);
        String t = String.valueOf(clock.instant().getEpochSecond());
        String arabicIndicFirstDigit = (char) ('\u0660' + (t.charAt(0) - '0')) + t.substring(1); // same number to Long.parseLong
        for (String other : new String[] {"+" + t, arabicIndicFirstDigit}) {
            assertThat(WebhookSignature.verify(SECRET, header.replace("t=" + t, "t=" + other), body, clock))
                    .as(other).isEqualTo(WebhookSignature.Result.MALFORMED);
        }
    }
}
