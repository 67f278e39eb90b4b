package dev.mayfly.client.classify;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What free text from a server says about the credential, for the many servers that say it only in words:
 * gateways ("Jwt is expired", "the token has expired"), JOSE libraries whose messages servers pass on
 * ("jwt expired", "Signature has expired", {@code "exp" claim timestamp check failed}, "Expired JWT",
 * "Jwt expired at ...", "token is expired by 5m0s", IDX10223), and vendors' messages ("AKV10000: Request is
 * missing a Bearer or PoP token").
 *
 * <p>Each meaning is a class of wording, not one vendor's string. Text that names two causes at once
 * ("invalid or expired", "missing or invalid", "missing or malformed") says nothing: the caller falls back on
 * the token's {@code exp}. Order matters: expiry before "not yet valid" (Graph's "expired or is not yet valid"
 * is about an expired token), both before the wrong-token words (PyJWT's "Signature has expired" is expiry).
 */
final class Wording {
    /** What the words say. */
    enum Meaning {
        /** The credential's lifetime is over. */
        EXPIRED,
        /** The credential's lifetime has not begun: a clock is off, refreshing does not help. */
        NOT_YET_VALID,
        REVOKED,
        /** The server saw no credential where it looks (a token sent elsewhere counts as missing). */
        MISSING,
        /** The credential is for another audience or issuer, or its signature or key is wrong. */
        WRONG_CREDENTIAL
    }

    private static final int MAX_TEXT = 4096;

    /** Two causes joined by "or": "invalid or expired", "is invalid or has expired", "missing or malformed". */
    private static final Pattern TWO_CAUSES = Pattern.compile(
            "\\b(invalid|malformed|missing|revoked|unknown|bad|expired)\\b[^.;]{0,20}?\\bor\\b(\\s+(has|is|been|was|has been))*\\s+"
                    + "(invalid|malformed|missing|revoked|expired|unknown)\\b");
    private static final Pattern EXPIRED = Pattern.compile(
            "expired|token expir|\\bnot active\\b|lifetime validation failed|\\bidx10223\\b"
                    + "|\"exp\" claim timestamp check failed|\\bexp claim\\b[^.]{0,30}\\bfailed");
    /** Expiry wording about a request's or signature's timestamp (AWS SigV4, EC2 RequestExpired), not a credential. */
    private static final Pattern REQUEST_TIME = Pattern.compile("request has expired|signature expired|signature not yet current");
    private static final Pattern NOT_YET_VALID = Pattern.compile(
            "not yet valid|not valid yet|not valid before|\"nbf\" claim timestamp check failed|\\bused before\\b|\\bimmature\\b");
    private static final Pattern MISSING = Pattern.compile(
            "missing|not provided|\\bno (api key|key|token|jwt|bearer|credentials?|authorization)\\b"
                    + "|not found in (the )?request|header was not found");
    private static final Pattern CREDENTIAL_WORD = Pattern.compile(
            "token|jwt|credential|authori[sz]ation|bearer|\\bkey\\b");
    /** Words that make "missing" about something other than the credential ("missing required scopes"). */
    private static final Pattern MISSING_ELSEWHERE = Pattern.compile("scope|claim|permission|role");
    private static final Pattern WRONG_CREDENTIAL = Pattern.compile(
            "audience|issuer|\\b(iss|aud)\\b.{0,3}claim|signature|invalid (api |subscription )?key\\b");

    private Wording() {
    }

    /** The meaning of {@code text}, or null when it names no single cause (or is empty). */
    static Meaning of(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String t = (text.length() > MAX_TEXT ? text.substring(0, MAX_TEXT) : text).toLowerCase(Locale.ROOT);
        if (TWO_CAUSES.matcher(t).find()) {
            return null;
        }
        boolean requestTime = REQUEST_TIME.matcher(t).find();
        if (!requestTime && EXPIRED.matcher(t).find()) {
            return Meaning.EXPIRED;
        }
        if (NOT_YET_VALID.matcher(t).find()) {
            return Meaning.NOT_YET_VALID;
        }
        if (t.contains("revoked")) {
            return Meaning.REVOKED;
        }
        if (MISSING.matcher(t).find() && CREDENTIAL_WORD.matcher(t).find() && !MISSING_ELSEWHERE.matcher(t).find()) {
            return Meaning.MISSING;
        }
        if (!requestTime && WRONG_CREDENTIAL.matcher(t).find()) {
            return Meaning.WRONG_CREDENTIAL;
        }
        return null;
    }

    /** True when the text says the credential expired (not that a request or signature timestamp did). */
    static boolean saysExpired(String text) {
        return of(text) == Meaning.EXPIRED;
    }

    /**
     * The verdict the words give, or null when they give none. {@code expiredAt} is used for {@code EXPIRED}
     * when the text states no time of its own.
     */
    static AuthFailure.Builder verdict(String text, AuthFailure.Format format, String code, String message,
                                       ResponseView r) {
        Meaning meaning = of(text);
        if (meaning == null) {
            return null;
        }
        switch (meaning) {
            case EXPIRED:
                return AuthFailure.builder(AuthFailure.Kind.EXPIRED, format).code(code).message(message)
                        .expiredAt(StatedExpiry.in(text).orElse(r.sentExpiry()));
            case NOT_YET_VALID:
                return AuthFailure.builder(AuthFailure.Kind.INVALID, format).code(code).message(message)
                        .recovery(AuthFailure.Recovery.FIX_CLOCK).retryable(false);
            case REVOKED:
                return AuthFailure.builder(AuthFailure.Kind.REVOKED, format).code(code).message(message);
            case MISSING:
                return AuthFailure.builder(AuthFailure.Kind.MISSING, format).code(code).message(message);
            case WRONG_CREDENTIAL:
                return AuthFailure.builder(AuthFailure.Kind.INVALID, format).code(code).message(message);
            default:
                return null;
        }
    }
}
