package dev.mayfly.core.webhook;

import dev.mayfly.core.text.AsciiDecimal;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs and checks Mayfly webhook deliveries. The header is {@code Mayfly-Signature: t=<unix seconds>,
 * v1=<hex HMAC-SHA256 over "t.body">} (the scheme Stripe popularised): the timestamp is inside the MAC, so
 * a receiver that also bounds its age rejects replays of an old delivery. Several {@code v1} values may
 * appear (during a secret rotation); one matching is enough. Comparison is constant-time. Stateless.
 */
public final class WebhookSignature {
    public static final String HEADER = "Mayfly-Signature";
    /** Default age bound for a delivery's timestamp, in both directions. */
    public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

    private WebhookSignature() {
    }

    /** The header value for {@code body} sent at {@code at}, signed with the webhook's secret. */
    public static String sign(String secret, Instant at, byte[] body) {
        long t = at.getEpochSecond();
        return "t=" + t + ",v1=" + HexFormat.of().formatHex(mac(secret, t, body));
    }

    /** Why a delivery was not accepted; {@code VALID} when it was. */
    public enum Result { VALID, MALFORMED, STALE, MISMATCH }

    /** Checks a delivery with the default tolerance. */
    public static Result verify(String secret, String header, byte[] body, Clock clock) {
        return verify(secret, header, body, clock, DEFAULT_TOLERANCE);
    }

    public static Result verify(String secret, String header, byte[] body, Clock clock, Duration tolerance) {
        Objects.requireNonNull(secret, "secret");
        if (header == null || body == null) {
            return Result.MALFORMED;
        }
        Long t = null;
        java.util.List<byte[]> candidates = new java.util.ArrayList<>();
        for (String part : header.split(",")) {
            String p = part.trim();
            try {
                if (p.startsWith("t=")) {
                    t = AsciiDecimal.parse(p.substring(2)); // one spelling: no "+", no other script's digits
                } else if (p.startsWith("v1=")) {
                    candidates.add(HexFormat.of().parseHex(p.substring(3)));
                }
            } catch (IllegalArgumentException e) {
                return Result.MALFORMED;
            }
        }
        if (t == null || candidates.isEmpty()) {
            return Result.MALFORMED;
        }
        long age = Math.abs(clock.instant().getEpochSecond() - t);
        if (age > tolerance.getSeconds()) {
            return Result.STALE;
        }
        byte[] expected = mac(secret, t, body);
        for (byte[] c : candidates) {
            if (MessageDigest.isEqual(expected, c)) {
                return Result.VALID;
            }
        }
        return Result.MISMATCH;
    }

    private static byte[] mac(String secret, long t, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((t + ".").getBytes(StandardCharsets.US_ASCII));
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is required by every JRE", e);
        }
    }
}
