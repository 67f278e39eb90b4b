package dev.mayfly.core.secret;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A secret value in transit. {@link #toString()} never shows it, so a secret that reaches a log line or an
 * exception message by accident shows as {@code Secret[redacted]}. Use {@link #reveal()} only where the
 * value must leave the process (a response shown once, an HTTP header).
 */
public final class Secret {
    private final String value;

    private Secret(String value) {
        this.value = Objects.requireNonNull(value, "value");
    }

    public static Secret of(String value) {
        return new Secret(value);
    }

    public String reveal() {
        return value;
    }

    public boolean isEmpty() {
        return value.isEmpty();
    }

    /** Hex SHA-256 of the value: the only form in which Mayfly stores secrets. */
    public String sha256Hex() {
        return sha256Hex(value);
    }

    public static String sha256Hex(String value) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JRE", e);
        }
    }

    /** Constant-time comparison, so timing does not reveal how much of a guess was right. */
    public boolean matches(Secret other) {
        return other != null && MessageDigest.isEqual(
                value.getBytes(StandardCharsets.UTF_8), other.value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret && matches((Secret) o);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return "Secret[redacted]";
    }
}
