package dev.mayfly.cli.scan;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.cli.context.CliContext;
import dev.mayfly.client.MayflyHttp;
import dev.mayfly.client.HttpReply;
import dev.mayfly.client.V1Api;
import dev.mayfly.client.UnverifiedJwt;
import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyError;
import dev.mayfly.core.error.MayflyException;
import dev.mayfly.core.secret.Secret;
import dev.mayfly.scanner.Finding;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reports the Mayfly credentials a scan found to the broker ({@code POST /v1/leaks}, no authentication:
 * possession of a leaked token is enough to revoke it), in batches of at most {@value #MAX_BATCH} (the
 * broker's limit), each token with where it was found ({@code file:line:column}). Access tokens of another
 * issuer than the broker's are not sent. A {@code RATE_LIMITED} answer is waited out once (its
 * {@code retry_after_ms}, at most {@link #MAX_WAIT}); a broker that cannot be reached, or is still
 * limiting, ends the reporting and the rest is marked {@code not_sent}. Not thread-safe.
 */
final class LeakReporter {
    static final int MAX_BATCH = 100;
    static final Duration MAX_WAIT = Duration.ofSeconds(60);

    /** How the reporter waits before its one retry; tests move a clock instead of sleeping. */
    interface Pause {
        void sleep(Duration d) throws InterruptedException;
    }

    private final MayflyHttp http;
    private final String url;
    private final int batchSize;
    private final Pause pause;

    LeakReporter(MayflyHttp http, String url, int batchSize, Pause pause) {
        if (batchSize < 1 || batchSize > MAX_BATCH) {
            throw new IllegalArgumentException("batch size must be 1.." + MAX_BATCH);
        }
        this.http = http;
        this.url = url;
        this.batchSize = batchSize;
        this.pause = pause;
    }

    LeakReporter(MayflyHttp http, String url) {
        this(http, url, MAX_BATCH, d -> Thread.sleep(d.toMillis()));
    }

    /** Reports each finding's secret (one finding per distinct secret) and says what became of each, in order. */
    Revocation report(List<Finding> leaked) {
        if (leaked.isEmpty()) {
            return new Revocation(url, List.of(), null);
        }
        Map<Finding, Revocation.Outcome> outcomes = new IdentityHashMap<>();
        MayflyError failure = null;
        try {
            String issuer = issuer();
            List<Finding> toSend = new ArrayList<>();
            for (Finding f : leaked) {
                if (ofAnotherIssuer(f, issuer)) {
                    outcomes.put(f, Revocation.Outcome.local(f, "other_issuer"));
                } else {
                    toSend.add(f);
                }
            }
            for (int start = 0; start < toSend.size() && (failure == null || !stopsReporting(failure)); start += batchSize) {
                List<Finding> batch = toSend.subList(start, Math.min(start + batchSize, toSend.size()));
                try {
                    for (Map.Entry<Finding, Revocation.Outcome> o : answers(batch, sendWithOneRetry(batch))) {
                        outcomes.put(o.getKey(), o.getValue());
                        if (o.getValue().status().equals("failed")) {
                            failure = worse(failure, MayflyError.of(ErrorCode.INTERNAL, "The broker did not answer for every token."));
                        }
                    }
                } catch (MayflyException e) {
                    failure = worse(failure, e.error());
                    batch.forEach(f -> outcomes.put(f, Revocation.Outcome.failed(f, e.error().code())));
                }
            }
        } catch (MayflyException e) {
            failure = e.error(); // the broker's metadata could not be fetched: nothing was sent
        }
        List<Revocation.Outcome> ordered = new ArrayList<>();
        for (Finding f : leaked) {
            ordered.add(outcomes.getOrDefault(f, Revocation.Outcome.notSent(f)));
        }
        return new Revocation(url, ordered, failure);
    }

    private JsonNode sendWithOneRetry(List<Finding> batch) {
        try {
            return send(batch);
        } catch (MayflyException e) {
            Long wait = e.error().retryAfterMs();
            if (e.code() != ErrorCode.RATE_LIMITED || wait == null || wait > MAX_WAIT.toMillis()) {
                throw e;
            }
            try {
                pause.sleep(Duration.ofMillis(Math.max(0, wait)));
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                throw e;
            }
            return send(batch);
        }
    }

    private JsonNode send(List<Finding> batch) {
        List<Map<String, Object>> tokens = new ArrayList<>();
        for (Finding f : batch) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("token", secret(f).reveal());
            t.put("type", f.kind());
            t.put("source", Revocation.where(f));
            tokens.add(t);
        }
        return http.v1(CliContext.brokerUrls(url)).post("/v1/leaks", null, Map.of("tokens", tokens));
    }

    /** The broker's answer for each token of a batch, matched by fingerprint (a token it did not answer for failed). */
    private static List<Map.Entry<Finding, Revocation.Outcome>> answers(List<Finding> batch, JsonNode data) {
        Map<String, JsonNode> byFingerprint = new HashMap<>();
        data.path("results").forEach(r -> byFingerprint.put(r.path("fingerprint").asText(), r));
        List<Map.Entry<Finding, Revocation.Outcome>> out = new ArrayList<>();
        for (Finding f : batch) {
            JsonNode answer = byFingerprint.get(fingerprint(f));
            out.add(Map.entry(f, answer == null ? Revocation.Outcome.failed(f, ErrorCode.INTERNAL) : Revocation.Outcome.answered(f, answer)));
        }
        return out;
    }

    /** The broker's issuer, from its RFC 8414 metadata; {@code null} when it does not say (then nothing is filtered). */
    private String issuer() {
        List<String> nodes = CliContext.brokerUrls(url);
        HttpReply r = null;
        for (int i = 0; r == null; i++) {
            try {
                r = http.send(HttpRequest.newBuilder(URI.create(nodes.get(i) + "/.well-known/oauth-authorization-server"))
                        .header("Accept", "application/json").GET());
            } catch (MayflyException e) {
                if (i == nodes.size() - 1) {
                    throw e; // no node answered
                }
            }
        }
        JsonNode body = r.successful() ? r.json() : null;
        return body != null && body.path("issuer").isTextual() ? body.get("issuer").asText() : null;
    }

    private static boolean ofAnotherIssuer(Finding f, String issuer) {
        if (issuer == null) {
            return false;
        }
        return UnverifiedJwt.read(secret(f).reveal()).map(UnverifiedJwt::issuer)
                .map(iss -> !strip(iss).equals(strip(issuer))).orElse(false);
    }

    private static String strip(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private static Secret secret(Finding f) {
        return f.mayflySecret().orElseThrow();
    }

    /** The broker's fingerprint of a reported token: the first 16 hex digits of its SHA-256. */
    static String fingerprint(Finding f) {
        return secret(f).sha256Hex().substring(0, 16);
    }

    /** After these the broker is not asked again in this run: it is down, or still limiting this address. */
    private static boolean stopsReporting(MayflyError e) {
        return e.code() == ErrorCode.UNAVAILABLE || e.code() == ErrorCode.RATE_LIMITED;
    }

    /** docs/scanner.md's precedence among revocation errors: UNAVAILABLE, then RATE_LIMITED, then the rest. */
    static MayflyError worse(MayflyError a, MayflyError b) {
        if (a == null) {
            return b;
        }
        return rank(b.code()) > rank(a.code()) ? b : a;
    }

    private static int rank(ErrorCode c) {
        return c == ErrorCode.UNAVAILABLE ? 3 : c == ErrorCode.RATE_LIMITED ? 2 : 1;
    }
}
