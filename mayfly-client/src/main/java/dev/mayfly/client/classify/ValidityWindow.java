package dev.mayfly.client.classify;

import dev.mayfly.client.classify.AuthFailure.Format;
import dev.mayfly.client.classify.AuthFailure.Kind;
import dev.mayfly.client.classify.AuthFailure.Recovery;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A credential's validity window as a server reports it when a request falls outside it, with the server's
 * own time: Azure Storage SAS ("Signature not valid in the specified time frame: Start [..] - Expiry [..] -
 * Current [..]") and Cosmos DB ("token start time: .., token expiry time: .., current server time: ..").
 * Server time past the expiry: the credential expired then. Server time before the start: the credential
 * was made by a clock running ahead, which a new one from the same clock does not fix.
 */
record ValidityWindow(Instant start, Instant expiry, Instant current) {
    private static final String DATE = "([A-Za-z]{3}, \\d{1,2} [A-Za-z]{3} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT)";
    private static final Pattern SAS = Pattern.compile(
            "Start \\[" + DATE + "\\] - Expiry \\[" + DATE + "\\] - Current \\[" + DATE + "\\]");
    private static final Pattern COSMOS = Pattern.compile(
            "token start time: " + DATE + ", token expiry time: " + DATE + ", current server time: " + DATE);

    static ValidityWindow in(String text) {
        if (text == null) {
            return null;
        }
        for (Pattern p : new Pattern[] {SAS, COSMOS}) {
            Matcher m = p.matcher(text);
            if (m.find()) {
                try {
                    return new ValidityWindow(time(m.group(1)), time(m.group(2)), time(m.group(3)));
                } catch (DateTimeParseException e) {
                    return null;
                }
            }
        }
        return null;
    }

    /** EXPIRED at the window's end, INVALID + FIX_CLOCK before its start, null when the time was inside it. */
    AuthFailure.Builder verdict(String code, String message) {
        if (current.isAfter(expiry)) {
            return AuthFailure.builder(Kind.EXPIRED, Format.AZURE).code(code).message(message).expiredAt(expiry);
        }
        if (current.isBefore(start)) {
            return AuthFailure.builder(Kind.INVALID, Format.AZURE).code(code).message(message)
                    .recovery(Recovery.FIX_CLOCK).retryable(false);
        }
        return null;
    }

    private static Instant time(String rfc1123) {
        return ZonedDateTime.parse(rfc1123, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
    }
}
