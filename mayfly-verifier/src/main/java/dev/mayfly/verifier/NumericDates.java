package dev.mayfly.verifier;

import dev.mayfly.core.token.ClaimNames;
import java.util.Map;

/**
 * Checks {@code exp}, {@code iat} and {@code nbf} as they were written (RFC 7519 §2 NumericDate): a JSON
 * integer of seconds between the epoch and the end of year 9999, {@code exp} after the epoch. Mayfly's
 * broker writes whole seconds; anything else (a string, a fraction, {@code 1e300}, a negative number)
 * is malformed. Checked on the raw JSON because Nimbus' Date conversion truncates fractions and overflows
 * huge values into plausible or past dates: an authentic token with {@code exp: 1e300} would otherwise
 * read as expired in 1969 and be reported as {@code CREDENTIALS_EXPIRED}. {@code exp} must not come
 * before {@code iat} or {@code nbf}. Stateless.
 */
final class NumericDates {
    /** 9999-12-31T23:59:59Z. */
    static final long MAX_SECONDS = 253_402_300_799L;

    private NumericDates() {
    }

    /** @param claims the claims set as parsed JSON (numbers as Long or Double) */
    static void check(Map<String, Object> claims) throws Rejection {
        Long exp = seconds(claims.get(ClaimNames.EXPIRES), 1);
        Long iat = seconds(claims.get(ClaimNames.ISSUED_AT), 0);
        Long nbf = seconds(claims.get(ClaimNames.NOT_BEFORE), 0);
        // A token that expires before it was issued or became valid was never valid: it is garbled, not
        // expired (DESIGN §3.1 reports expiry only for tokens that once were good).
        if (exp != null && (iat != null && iat > exp || nbf != null && nbf > exp)) {
            throw Reason.MALFORMED_CLAIMS.reject();
        }
    }

    private static Long seconds(Object value, long min) throws Rejection {
        if (value == null) {
            return null; // presence is ClaimsMapper's business
        }
        boolean integral = value instanceof Long || value instanceof Integer;
        long seconds = integral ? ((Number) value).longValue() : Long.MIN_VALUE;
        if (seconds < min || seconds > MAX_SECONDS) {
            throw Reason.MALFORMED_CLAIMS.reject();
        }
        return seconds;
    }
}
