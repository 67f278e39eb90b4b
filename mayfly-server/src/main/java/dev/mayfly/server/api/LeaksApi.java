package dev.mayfly.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyException;
import dev.mayfly.server.http.ClientText;
import dev.mayfly.server.http.Envelopes;
import dev.mayfly.server.http.HttpExchange;
import dev.mayfly.server.http.RateLimiter;
import dev.mayfly.server.http.Route;
import dev.mayfly.server.leak.LeakReporterKeys;
import dev.mayfly.server.leak.LeakReports;
import dev.mayfly.core.secret.Secret;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /v1/leaks}: report leaked credentials for revocation. No authentication (possession of a
 * leaked token is enough to revoke it), rate-limited per client address. Accepts Mayfly's
 * {@code {"tokens": ["...", {"token": "...", "source": "...", "url": "..."}]}} and GitHub's
 * secret-scanning partner payload {@code [{"token", "type", "url", "source"}]}. Answers, per token, its
 * fingerprint and whether it was revoked, already revoked, expired, unknown, or not Mayfly's.
 *
 * <p>With reporter keys configured ({@code --leak-reporter-keys}), a GitHub-form report (a JSON array, or any
 * report carrying GitHub's signature headers) must be signed by one of them, checked over the raw body before
 * anything is parsed; an unsigned or badly signed one is {@code CREDENTIALS_INVALID} and revokes nothing. A
 * signed report is answered in the shape GitHub's partner program reads: a JSON array of
 * {@code {"token_hash", "token_type", "label": "true_positive"|"false_positive"}}.
 */
final class LeaksApi implements Route {
    private static final int MAX_TOKENS = 100;

    private final LeakReports reports;
    private final RateLimiter limiter;
    private final LeakReporterKeys reporters;

    /** {@code reporters}: the keys signed GitHub reports must verify with, or null to accept them unsigned. */
    LeaksApi(LeakReports reports, LeakReporterKeys reporters, Clock clock) {
        this.reports = reports;
        this.limiter = new RateLimiter(5, 20, clock);
        this.reporters = reporters;
    }

    @Override
    public void handle(HttpExchange ex) {
        limiter.acquire(ex.clientAddress(), "leak reports from this address");
        boolean signed = false;
        if (reporters != null) {
            byte[] raw = ex.rawBody();
            String keyId = ex.header(LeakReporterKeys.KEY_ID_HEADER);
            String signature = ex.header(LeakReporterKeys.SIGNATURE_HEADER);
            if (isArray(raw) || keyId != null || signature != null) {
                reporters.verify(raw, keyId, signature);
                signed = true;
            }
        }
        JsonNode body = ex.json();
        JsonNode items = body.isArray() ? body : body.path("tokens");
        if (!items.isArray() || items.isEmpty()) {
            throw new MayflyException(ErrorCode.USAGE,
                    "Send {\"tokens\": [...]} or a GitHub secret-scanning payload [{\"token\": ...}].");
        }
        if (items.size() > MAX_TOKENS) {
            throw new MayflyException(ErrorCode.USAGE, "At most " + MAX_TOKENS + " tokens per report.");
        }
        List<Map<String, Object>> results = new ArrayList<>();
        for (JsonNode item : items) {
            LeakReports.Report r = item.isTextual()
                    ? new LeakReports.Report(item.asText(), null, null, null)
                    : new LeakReports.Report(item.path("token").asText(""), type(item), ClientText.redacted(text(item, "source"), 500),
                            ClientText.redactedUrl(text(item, "url"), 2000));
            if (r.token().isBlank() || r.token().length() > 8192) {
                throw new MayflyException(ErrorCode.USAGE, "Every reported token must be a non-empty string under 8 KiB.");
            }
            results.add(reports.handle(ex.context(), r));
        }
        if (signed) {
            ex.sendJson(200, partnerResponse(items, results), Map.of());
            return;
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("results", results);
        data.put("revoked", results.stream().filter(m -> "revoked".equals(m.get("status"))).count());
        Envelopes.ok(ex, data);
    }

    /** GitHub's partner feedback: per token its SHA-256, the type GitHub named, and whether it is really ours. */
    private static List<Map<String, Object>> partnerResponse(JsonNode items, List<Map<String, Object>> results) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            JsonNode item = items.get(i);
            String token = item.isTextual() ? item.asText() : item.path("token").asText("");
            Object first = results.get(i).get("first_status"); // a repeat report is labelled as the first was
            String status = String.valueOf(first != null ? first : results.get(i).get("status"));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("token_hash", Secret.sha256Hex(token));
            m.put("token_type", item.isTextual() ? results.get(i).get("type") : type(item));
            m.put("label", "not_mayfly".equals(status) || "unknown".equals(status) ? "false_positive" : "true_positive");
            out.add(m);
        }
        return out;
    }

    private static boolean isArray(byte[] raw) {
        for (byte b : raw) {
            if (!Character.isWhitespace(b)) {
                return b == '[';
            }
        }
        return false;
    }

    /** The reporter's name for the token type: echoed back, so redacted like all client text. */
    private static String type(JsonNode item) {
        return ClientText.redacted(text(item, "type"), 100);
    }

    private static String text(JsonNode n, String field) {
        return n.path(field).isTextual() ? n.get(field).asText() : null;
    }
}
