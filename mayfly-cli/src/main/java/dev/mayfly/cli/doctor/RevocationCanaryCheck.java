package dev.mayfly.cli.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.client.TokenResponse;
import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyException;
import dev.mayfly.core.secret.RandomIds;
import dev.mayfly.core.secret.Secret;
import dev.mayfly.verifier.Decision;
import dev.mayfly.verifier.FeedStatus;
import dev.mayfly.verifier.JwksSource;
import dev.mayfly.verifier.RevocationFeedSubscriber;
import dev.mayfly.verifier.TokenVerifier;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The revocation pipeline end to end, measured: a throwaway canary agent gets a token; a real verifier
 * (mayfly-verifier, keys from the JWKS, revocations from the feed) accepts it; the token is revoked; then
 * how long until the broker acknowledged ({@code revoke_ms}), the feed delivered it to the verifier
 * ({@code feed_ms}) and the verifier refused the token as {@code CREDENTIALS_REVOKED} ({@code verifier_ms}),
 * and the broker itself refuses it too. Within {@link #PASS_WITHIN}: pass; within {@code --canary-timeout}:
 * warn; never: fail. The canary agent is disabled afterwards whatever happened (its sessions end with it).
 */
final class RevocationCanaryCheck implements Check {
    static final String ID = "revocation-canary";
    static final Duration PASS_WITHIN = Duration.ofSeconds(1);
    static final String SCOPE = "doctor:canary";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public CheckResult run(Deployment d) {
        if (!d.settings().canary()) {
            return CheckResult.warn(ID, "Not run (--no-canary): revocation propagation is unverified.", Evidence.of());
        }
        Evidence e = Evidence.of();
        String issuer = d.metadata().get("issuer").asText();
        URI jwks = URI.create(d.metadata().get("jwks_uri").asText());
        Duration timeout = d.settings().canaryTimeout();
        Duration leeway = d.policy().leeway();
        String name = "doctor-canary-" + RandomIds.next("", 10).toLowerCase(java.util.Locale.ROOT);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("kind", "interactive");
        body.put("scopes", List.of(SCOPE));
        body.put("audiences", List.of());
        JsonNode created = d.adminPost("/v1/agents", body);
        String agentId = created.path("agent_id").asText();
        e.with("canary_agent", name).with("canary_agent_id", agentId);
        RevocationFeedSubscriber feed = RevocationFeedSubscriber.builder()
                .broker(URI.create(d.url()))
                .token(() -> d.adminToken().value().reveal())
                .clock(d.clock())
                .failMode(FeedStatus.FailMode.OPEN)
                .build()
                .start();
        CheckResult result;
        try {
            result = measure(d, e, created, issuer, jwks, leeway, timeout, feed);
        } catch (MayflyException ex) {
            result = CheckResult.fail(ID, ex.code() + ": " + ex.getMessage(), e.with("error", ex.code().name()));
        } finally {
            feed.close();
            e.with("cleaned_up", cleanUp(d, agentId));
        }
        if (!Boolean.TRUE.equals(e.get("cleaned_up"))) {
            return CheckResult.fail(ID, result.summary() + " But the canary agent " + agentId
                    + " could not be disabled; run 'mayfly agent disable " + agentId + "'.", e);
        }
        return CheckResult.of(result.status(), ID, result.summary(), e);
    }

    private static CheckResult measure(Deployment d, Evidence e, JsonNode created, String issuer, URI jwks, Duration leeway,
                                       Duration timeout, RevocationFeedSubscriber feed) {
        TokenResponse grant = d.context().oauth(d.url())
                .login(created.path("client_id").asText(), Secret.of(created.path("client_secret").asText()), null, null);
        String token = grant.accessToken().reveal();
        TokenVerifier verifier = TokenVerifier.builder().issuer(issuer).audience(issuer)
                .jwks(JwksSource.remote(jwks, d.clock())).clock(d.clock()).leeway(leeway).revocations(feed).build();
        if (!awaitConnected(feed, timeout)) {
            return CheckResult.fail(ID, "The verifier could not subscribe to the revocation feed within "
                    + timeout.toMillis() + " ms.", e);
        }
        Decision before = verifier.verify(token, List.of());
        if (!before.allowed()) {
            e.with("baseline", before.error().code().name());
            return CheckResult.fail(ID, "A verifier refused the fresh canary token before revocation ("
                    + before.error().code() + ": " + before.error().message() + ").", e);
        }
        e.with("baseline", "accepted");
        String jti = before.claims().jwtId();
        long start = System.nanoTime();
        JsonNode revocation = d.adminPost("/v1/revocations", Map.of("jti", jti, "reason", "mayfly doctor revocation canary"));
        e.with("revoke_ms", millisSince(start)).with("revocation_seq", revocation.path("seq").asLong());
        boolean delivered;
        try {
            delivered = feed.awaitSequence(revocation.path("seq").asLong(), timeout);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new MayflyException(ErrorCode.TIMEOUT, "Interrupted while waiting for the revocation feed.");
        }
        long feedMs = millisSince(start);
        Decision after = verifier.verify(token, List.of());
        long verifierMs = millisSince(start);
        e.with("feed_ms", delivered ? feedMs : null).with("verifier_ms", !after.allowed() ? verifierMs : null)
                .with("verifier_says", after.allowed() ? "accepted" : after.error().code().name());
        String broker = brokerVerdict(d, token);
        e.with("broker_says", broker);
        if (!delivered || after.allowed()) {
            return CheckResult.fail(ID, "The verifier still accepted the revoked canary token after "
                    + timeout.toMillis() + " ms: the revocation feed is not reaching verifiers.", e);
        }
        if (!after.error().code().equals(ErrorCode.CREDENTIALS_REVOKED) || !ErrorCode.CREDENTIALS_REVOKED.name().equals(broker)) {
            return CheckResult.fail(ID, "The revoked canary token was refused as " + after.error().code() + " by the verifier and "
                    + broker + " by the broker; both should say CREDENTIALS_REVOKED.", e);
        }
        if (verifierMs > PASS_WITHIN.toMillis()) {
            return CheckResult.warn(ID, "Revocation reached the verifier in " + verifierMs + " ms (over "
                    + PASS_WITHIN.toMillis() + " ms).", e);
        }
        return CheckResult.pass(ID, "Revoked canary refused by a feed-fed verifier " + verifierMs + " ms after revocation (broker ack "
                + e.get("revoke_ms") + " ms); canary agent disabled.", e);
    }

    /** What the broker says to the revoked token at /v1/whoami: the catalog code, or "accepted". */
    private static String brokerVerdict(Deployment d, String token) {
        try {
            d.v1().get("/v1/whoami", Secret.of(token));
            return "accepted";
        } catch (MayflyException ex) {
            return ex.code().name();
        }
    }

    /** Real time: waits for the subscriber's stream to open, so what is measured next is delivery, not connecting. */
    private static boolean awaitConnected(RevocationFeedSubscriber feed, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (feed.status().connectedTo() == null) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    private static boolean cleanUp(Deployment d, String agentId) {
        try {
            d.adminPost("/v1/agents/" + agentId + "/disable", Map.of("reason", "mayfly doctor canary finished"));
            return true;
        } catch (RuntimeException ex) {
            return false;
        }
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
