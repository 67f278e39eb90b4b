package dev.mayfly.scanner.rules;

import dev.mayfly.core.secret.OpaqueSecret;

/**
 * Recognises Mayfly's own credentials in text: opaque secrets ({@code mfy_rt_}, {@code mfy_cs_},
 * {@code mfy_wh_} with a valid CRC32 checksum, via core's {@link OpaqueSecret}) and access tokens (JWTs
 * with {@code typ: at+jwt} and an {@code iss}, the configured issuer when one is given). Thread-safe.
 */
public final class MayflyFormats {
    private MayflyFormats() {
    }

    public static boolean isOpaqueSecret(String value) {
        return OpaqueSecret.isValid(value);
    }

    /** @param issuer the broker's issuer URL, or {@code null} to accept any issuer */
    public static boolean isAccessToken(String value, String issuer) {
        return JwtInspector.parse(value).map(j -> JwtInspector.isMayfly(j, issuer)).orElse(false);
    }

    /** True for any Mayfly credential: the scanner reports these for revocation. */
    public static boolean isMayfly(String value, String issuer) {
        return value.startsWith("mfy_") ? isOpaqueSecret(value) : value.startsWith("eyJ") && isAccessToken(value, issuer);
    }
}
