package dev.mayfly.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyException;
import dev.mayfly.server.BrokerContext;
import dev.mayfly.server.http.Envelopes;
import dev.mayfly.server.http.HttpExchange;
import dev.mayfly.server.http.RateLimiter;
import dev.mayfly.server.http.Route;
import dev.mayfly.server.leak.LeakReports;
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
 */
final class LeaksApi implements Route {
    private static final int MAX_TOKENS = 100;

    private final LeakReports reports;
    private final RateLimiter limiter;

    LeaksApi(BrokerContext ctx) {
        this.reports = new LeakReports(ctx);
        this.limiter = new RateLimiter(5, 20, ctx.clock());
    }

    @Override
    public void handle(HttpExchange ex) {
        limiter.acquire(ex.clientAddress(), "leak reports from this address");
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
                    : new LeakReports.Report(item.path("token").asText(""), text(item, "type"), text(item, "source"),
                            text(item, "url"));
            if (r.token().isBlank() || r.token().length() > 8192) {
                throw new MayflyException(ErrorCode.USAGE, "Every reported token must be a non-empty string under 8 KiB.");
            }
            results.add(reports.handle(r));
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("results", results);
        data.put("revoked", results.stream().filter(m -> "revoked".equals(m.get("status"))).count());
        Envelopes.ok(ex, data);
    }

    private static String text(JsonNode n, String field) {
        return n.path(field).isTextual() ? n.get(field).asText() : null;
    }
}
