package dev.mayfly.client.classify;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The expiry instant a server states in its own words, in the forms services write it:
 *
 * <ul>
 *   <li>ISO 8601 after "expired at" (Spring Security's "Jwt expired at 2026-11-22T13:55:00Z", GCS's "Request
 *       signature expired at: 2020-07-29T18:17:19+00:00");</li>
 *   <li>.NET's invariant culture after "expired at" (ASP.NET Core's "The token expired at '11/22/2026 13:55:00'");</li>
 *   <li>Service Bus's "Expiration time: '2018-11-04 05:05:25Z'";</li>
 *   <li>ARM's "expiry UTC time '3/19/2023 8:55:46 AM'";</li>
 *   <li>GCS V2 signed URLs' "Request has expired: 1600000000" (the URL's {@code Expires}, epoch seconds).</li>
 * </ul>
 *
 * Times without a zone are UTC, as every one of these services writes them.
 */
final class StatedExpiry {
    private static final Pattern ISO = Pattern.compile(
            "(?i)expired at:?\\s*'?(\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(?:\\.\\d{1,9})?(?:Z|[+-]\\d{2}:\\d{2}))");
    private static final Pattern INVARIANT = Pattern.compile(
            "(?i)expired at:?\\s*'?(\\d{1,2}/\\d{1,2}/\\d{4} \\d{1,2}:\\d{2}:\\d{2})'?");
    private static final Pattern SERVICE_BUS = Pattern.compile(
            "(?i)expiration time:\\s*'(\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2})Z?'");
    private static final Pattern ARM = Pattern.compile("expiry UTC time '([^']{1,40})'");
    private static final Pattern EPOCH = Pattern.compile("(?i)request has expired:\\s*(\\d{1,12})\\b");

    private static final DateTimeFormatter INVARIANT_TIME = DateTimeFormatter.ofPattern("M/d/yyyy H:mm:ss", Locale.US);
    private static final DateTimeFormatter SERVICE_BUS_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.US);
    private static final DateTimeFormatter ARM_TIME = DateTimeFormatter.ofPattern("M/d/yyyy h:mm:ss a", Locale.US);

    private StatedExpiry() {
    }

    static Optional<Instant> in(String text) {
        if (text == null || text.isEmpty()) {
            return Optional.empty();
        }
        try {
            Matcher m = ISO.matcher(text);
            if (m.find()) {
                return Optional.of(OffsetDateTime.parse(m.group(1)).toInstant());
            }
            m = INVARIANT.matcher(text);
            if (m.find()) {
                return Optional.of(LocalDateTime.parse(m.group(1), INVARIANT_TIME).toInstant(ZoneOffset.UTC));
            }
            m = SERVICE_BUS.matcher(text);
            if (m.find()) {
                return Optional.of(LocalDateTime.parse(m.group(1), SERVICE_BUS_TIME).toInstant(ZoneOffset.UTC));
            }
            m = ARM.matcher(text);
            if (m.find()) {
                return Optional.of(LocalDateTime.parse(m.group(1), ARM_TIME).toInstant(ZoneOffset.UTC));
            }
            m = EPOCH.matcher(text);
            if (m.find()) {
                return Optional.of(Instant.ofEpochSecond(Long.parseLong(m.group(1))));
            }
        } catch (DateTimeException | NumberFormatException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }
}
