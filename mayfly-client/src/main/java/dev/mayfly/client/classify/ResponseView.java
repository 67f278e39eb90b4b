package dev.mayfly.client.classify;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.core.json.Json;
import java.io.IOException;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One response as the recognizers see it: status, headers, body (parsed as JSON once, lazily), the
 * challenges of {@code WWW-Authenticate}, what was sent, and the time. Built per classification; not shared.
 */
final class ResponseView {
    /** Bodies beyond this are not parsed: error bodies are small, and a classifier must not be a parser DoS. */
    static final int MAX_BODY = 256 * 1024;
    /** A plain-text body longer than this is a page, not a message. */
    private static final int MAX_TEXT_BODY = 2048;
    private static final List<String> MESSAGE_FIELDS = List.of(
            "error_description", "message", "Message", "msg", "detail", "error", "errorSummary", "exp", "nbf");

    private final int status;
    private final HttpHeaders headers;
    private final String body;
    private final SentCredential sent;
    private final Instant now;
    private final Duration skew;
    private JsonNode json;
    private boolean jsonParsed;
    private List<Challenge> challenges;
    private List<String> bodyMessages;

    ResponseView(int status, HttpHeaders headers, String body, SentCredential sent, Instant now, Duration skew) {
        this.status = status;
        this.headers = headers;
        this.body = body == null ? "" : body;
        this.sent = sent;
        this.now = now;
        this.skew = skew;
    }

    int status() {
        return status;
    }

    String body() {
        return body;
    }

    SentCredential sent() {
        return sent;
    }

    /**
     * The sent token's expiry when it has passed (allowing the clock skew), for an answer that calls the
     * token expired without saying when; null when it lies ahead. A server that calls a token expired whose
     * {@code exp} is still ahead (a replay with a token minted a moment ago, a skewed clock) has not said when
     * anything expired, and a future instant reported as "expired at" would be false.
     */
    Instant sentExpiry() {
        Instant exp = sent.expiresAt().orElse(null);
        return exp == null || exp.isAfter(now.plus(skew)) ? null : exp;
    }

    Instant now() {
        return now;
    }

    /** The first value of a header, case-insensitively (RFC 9110 §5.1), or null. */
    String header(String name) {
        return headers.firstValue(name).orElse(null);
    }

    /** The body as a JSON object, or null when it is not one. */
    JsonNode json() {
        if (!jsonParsed) {
            jsonParsed = true;
            String trimmed = body.strip();
            if (trimmed.startsWith("{") && trimmed.length() <= MAX_BODY) {
                try {
                    JsonNode node = Json.mapper().readTree(trimmed);
                    json = node != null && node.isObject() ? node : null;
                } catch (IOException e) {
                    json = null;
                }
            }
        }
        return json;
    }

    List<Challenge> challenges() {
        if (challenges == null) {
            challenges = Challenge.parse(headers.allValues("WWW-Authenticate"));
        }
        return challenges;
    }

    /** True when the credential sent is known to be past its {@code exp} (within the allowed clock skew). */
    boolean sentTokenExpired() {
        return sent.expiresAt().map(exp -> !now.plus(skew).isBefore(exp)).orElse(false);
    }

    /** True when the credential sent is known to be still valid by its {@code exp}. */
    boolean sentTokenValid() {
        return sent.expiresAt().map(exp -> now.plus(skew).isBefore(exp)).orElse(false);
    }

    /**
     * The human-readable messages of the body, most specific first: the usual message fields of a JSON object
     * ({@code error_description}, {@code message}, {@code msg}, {@code detail}, a string {@code error},
     * Okta's {@code errorSummary}, {@code error.message}, and Kong's per-claim {@code exp}/{@code nbf}), or a short
     * plain-text body as a whole. Markup (HTML, XML) is left to the formats that know it.
     */
    List<String> bodyMessages() {
        if (bodyMessages == null) {
            List<String> out = new ArrayList<>();
            JsonNode j = json();
            if (j != null) {
                for (String field : MESSAGE_FIELDS) {
                    addText(out, j.get(field));
                }
                JsonNode error = j.get("error");
                if (error != null && error.isObject()) {
                    addText(out, error.get("message"));
                }
            } else {
                String t = body.strip();
                if (!t.isEmpty() && t.length() <= MAX_TEXT_BODY && !t.startsWith("<") && !t.startsWith("{")
                        && !t.startsWith("[")) {
                    out.add(t);
                }
            }
            bodyMessages = List.copyOf(out);
        }
        return bodyMessages;
    }

    /**
     * An expiry instant the JSON body states as data: jsonwebtoken's {@code TokenExpiredError.expiredAt}, as
     * express-style error handlers serialize it (top level, {@code inner} or {@code data}).
     */
    Instant bodyExpiredAt() {
        JsonNode j = json();
        if (j == null) {
            return null;
        }
        for (JsonNode node : new JsonNode[] {j, j.get("inner"), j.get("data")}) {
            String v = firstNonBlank(text(node, "expiredAt"), text(node, "expired_at")).orElse(null);
            if (v != null) {
                try {
                    return OffsetDateTime.parse(v).toInstant();
                } catch (DateTimeParseException e) {
                    return null;
                }
            }
        }
        return null;
    }

    private static void addText(List<String> out, JsonNode v) {
        if (v != null && v.isTextual() && !v.asText().isBlank()) {
            out.add(v.asText());
        }
    }

    /** {@code Retry-After} (RFC 9110 §10.2.3): delay-seconds or an HTTP-date. */
    Duration retryAfter() {
        String v = header("Retry-After");
        if (v == null) {
            return null;
        }
        v = v.strip();
        try {
            long seconds = Long.parseLong(v);
            return seconds < 0 ? null : Duration.ofSeconds(Math.min(seconds, 86_400));
        } catch (NumberFormatException e) {
            try {
                Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration d = Duration.between(now, at);
                return d.isNegative() ? Duration.ZERO : d;
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }

    static String text(JsonNode node, String field) {
        if (node == null) {
            return null;
        }
        JsonNode v = node.get(field);
        return v != null && v.isValueNode() && !v.isNull() ? v.asText() : null;
    }

    static boolean contains(String haystack, String needle) {
        return haystack != null && haystack.toLowerCase(Locale.ROOT).contains(needle);
    }

    /** Free text that says the credential expired (but not that a request or signature expired): see {@link Wording}. */
    static boolean saysExpired(String text) {
        return Wording.saysExpired(text);
    }

    static Optional<String> firstNonBlank(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }
}
