package dev.mayfly.server.oauth.assertion;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.mayfly.core.policy.Tier;
import dev.mayfly.core.policy.TtlPolicy;
import dev.mayfly.server.store.Agent;
import dev.mayfly.server.store.AgentStore;
import dev.mayfly.server.store.AgentTrust;
import dev.mayfly.server.store.AssertionJtiStore;
import dev.mayfly.server.store.Database;
import dev.mayfly.server.store.GroupCommit;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Client authentication by JWT assertion (RFC 7523 §2.2, §3): the assertion is checked against the agent's
 * {@link AgentTrust}, federated (an external OIDC issuer's token whose claims meet the agent's rules) or
 * key-bound ({@code private_key_jwt}: {@code iss} = {@code sub} = the client id, signed with the registered key).
 *
 * <p>The checks, each refused with {@code CREDENTIALS_INVALID} naming it: header (no {@code none}, no HMAC, no
 * key-bearing headers), issuer, key, signature, audience (the broker's issuer URL or its token endpoint),
 * expiry (with the clock leeway), lifetime cap ({@code exp} at most 10 minutes ahead), {@code nbf}/{@code iat}
 * not in the future, subject or claim rules, and last a {@code jti} never used before (recorded until the
 * assertion expires, in the database so every node agrees). An issuer whose keys cannot be fetched is
 * {@code UNAVAILABLE}. Thread-safe.
 */
public final class AssertionAuthenticator {
    public static final String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    /** The furthest ahead an assertion's {@code exp} may be: it is a one-time login credential, not a session. */
    public static final Duration MAX_LIFETIME = Duration.ofMinutes(10);
    /** How often this node deletes expired jti rows (every node does; the delete is idempotent). */
    private static final Duration PRUNE_EVERY = Duration.ofMinutes(1);

    private final Database db;
    private final AgentStore agents;
    private final AssertionJtiStore jtis;
    private final GroupCommit commits;
    /** Registered public keys, parsed once per distinct JWK text (an agent's key changes only by an update). */
    private final Map<String, JWK> parsedKeys = new ConcurrentHashMap<>();
    private final IssuerKeys issuerKeys;
    private final List<String> audiences;
    private final Duration leeway;
    private final TtlPolicy policy;
    private final Clock clock;
    private volatile Instant lastPrune = Instant.MIN;
    private static final int MAX_PARSED_KEYS = 10_000;

    /**
     * @param brokerIssuer the broker's issuer URL; an assertion's {@code aud} must be it or its token endpoint
     * @param policy       its clock leeway is the skew allowed on {@code exp}, {@code nbf} and {@code iat}; its
     *                     attestation rules give a federated login's tier
     */
    public AssertionAuthenticator(Database db, GroupCommit commits, AgentStore agents, IssuerKeys issuerKeys,
                                  String brokerIssuer, TtlPolicy policy, Clock clock) {
        this.policy = policy;
        this.db = db;
        this.commits = commits;
        this.agents = agents;
        this.jtis = new AssertionJtiStore();
        this.issuerKeys = issuerKeys;
        String base = brokerIssuer.endsWith("/") ? brokerIssuer.substring(0, brokerIssuer.length() - 1) : brokerIssuer;
        this.audiences = List.of(brokerIssuer, base + "/oauth/token");
        this.leeway = policy.leeway();
        this.clock = clock;
    }

    /**
     * What an accepted assertion proved: the agent, the issuer and subject that vouched for it, and the least tier
     * the policy's attestation rules give its claims (null when none matched; always null for
     * {@code private_key_jwt}, whose claims the agent wrote itself).
     */
    public record Attested(Agent agent, String issuer, String subject, String trust, Tier tier) {
    }

    /**
     * The client id an assertion claims, read without verifying it: {@code sub}, as {@code private_key_jwt}
     * sets it. For rate limiting and agent lookup only; nothing trusts it before the signature verified.
     */
    public static Optional<String> claimedClientId(String assertion) {
        try {
            return Optional.ofNullable(SignedJWT.parse(assertion).getJWTClaimsSet().getSubject());
        } catch (ParseException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Authenticates {@code clientId} by {@code assertion}.
     *
     * @param onAgentFound called with the agent once the client id names one, before any check of the assertion
     *                     (so a refusal can be attributed to it in the audit trail)
     */
    public Attested authenticate(String clientId, String assertion, java.util.function.Consumer<Agent> onAgentFound) {
        SignedJWT jwt = AssertionHeader.check(assertion);
        Agent agent = db.read(c -> agents.byClientId(c, clientId)).orElse(null);
        AgentTrust trust = agent == null ? AgentTrust.NONE : agent.trust();
        if (agent != null) {
            onAgentFound.accept(agent);
        }
        if (!trust.federated() && !trust.keyBound()) {
            throw AssertionRefusal.because("unknown client, or no assertion login (federated issuer or public key) "
                    + "is set up for it");
        }
        JWTClaimsSet claims;
        try {
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw AssertionRefusal.because("malformed claims");
        }
        String iss = claims.getIssuer();
        boolean keyBound = trust.keyBound() && clientId.equals(iss);
        boolean federated = !keyBound && trust.federated() && trust.federatedIssuer().equals(iss);
        if (!keyBound && !federated) {
            throw AssertionRefusal.because("wrong issuer: iss must be " + (trust.federated()
                    ? "the agent's federated issuer" + (trust.keyBound() ? " or " : "") : "")
                    + (trust.keyBound() ? "the client id (private_key_jwt)" : ""));
        }
        String kid = jwt.getHeader().getKeyID();
        JWK key = keyBound ? registeredKey(trust, kid) : issuerKeys.key(iss, kid).orElse(null);
        if (key == null) {
            throw AssertionRefusal.because("unknown key: " + (keyBound
                    ? "kid is not the agent's registered key" : "the issuer publishes no key with this kid"));
        }
        JWSVerifier verifier = KeyFit.verifier(jwt.getHeader().getAlgorithm(), key);
        if (verifier == null) {
            throw AssertionRefusal.because("the key does not fit alg " + jwt.getHeader().getAlgorithm().getName());
        }
        try {
            if (!jwt.verify(verifier)) {
                throw AssertionRefusal.because("bad signature");
            }
        } catch (JOSEException | RuntimeException e) {
            if (e instanceof dev.mayfly.server.oauth.OAuthException) {
                throw (dev.mayfly.server.oauth.OAuthException) e;
            }
            throw AssertionRefusal.because("bad signature");
        }
        Instant now = clock.instant();
        checkAudience(claims);
        Instant exp = checkTimes(claims, now);
        if (keyBound) {
            if (!clientId.equals(claims.getSubject())) {
                throw AssertionRefusal.because("sub must be the client id (private_key_jwt)");
            }
        } else {
            String mismatch = ClaimRules.firstMismatch(trust.federatedClaims(), claims.getClaims());
            if (mismatch != null) {
                throw AssertionRefusal.because("claim rule " + mismatch + " does not match");
            }
        }
        String jti = claims.getJWTID();
        if (jti == null || jti.isEmpty() || jti.length() > 255) {
            throw AssertionRefusal.because("jti is missing (or over 255 characters); it is how a replay is refused");
        }
        Instant rememberUntil = exp.plus(leeway);
        // Through the group commit, like the login it authenticates: a durable commit of its own per login would
        // cost a second fsync per assertion login; batched, concurrent logins share one.
        boolean fresh = commits.run(c -> {
            if (now.isAfter(lastPrune.plus(PRUNE_EVERY))) {
                lastPrune = now;
                jtis.forgetExpired(c, now);
            }
            return jtis.remember(c, iss, jti, rememberUntil, now);
        });
        if (!fresh) {
            throw AssertionRefusal.because("replayed: this assertion's jti was already used");
        }
        Tier tier = keyBound ? null : policy.attestedTier(name -> text(ClaimRules.resolve(name, claims.getClaims())));
        return new Attested(agent, iss, claims.getSubject(), keyBound ? "key" : "federated", tier);
    }

    /** A claim value as text for a policy rule: strings, numbers and booleans; null for anything else. */
    private static String text(Object value) {
        return value instanceof String || value instanceof Number || value instanceof Boolean ? String.valueOf(value) : null;
    }

    private JWK registeredKey(AgentTrust trust, String kid) {
        if (parsedKeys.size() > MAX_PARSED_KEYS) {
            parsedKeys.clear(); // keys of updated or removed agents are never looked up again: start afresh
        }
        JWK key = parsedKeys.computeIfAbsent(trust.publicJwk(), AssertionAuthenticator::parseStored);
        return kid == null || kid.equals(key.getKeyID()) ? key : null;
    }

    private static JWK parseStored(String jwk) {
        try {
            return JWK.parse(jwk);
        } catch (ParseException e) {
            throw new IllegalStateException("stored public key is not a JWK", e); // stored only after parsing
        }
    }

    private void checkAudience(JWTClaimsSet claims) {
        List<String> aud = claims.getAudience();
        if (aud == null || aud.stream().noneMatch(audiences::contains)) {
            throw AssertionRefusal.because("aud is not the broker (it must be " + audiences.get(0) + " or "
                    + audiences.get(1) + ")");
        }
    }

    /** The assertion's expiry, once {@code exp}, {@code nbf} and {@code iat} passed. */
    private Instant checkTimes(JWTClaimsSet claims, Instant now) {
        Date expDate = claims.getExpirationTime();
        if (expDate == null) {
            throw AssertionRefusal.because("exp is missing");
        }
        Instant exp = expDate.toInstant();
        if (now.isAfter(exp.plus(leeway))) {
            throw AssertionRefusal.because("expired at " + exp + "; get a fresh assertion");
        }
        if (exp.isAfter(now.plus(MAX_LIFETIME).plus(leeway))) {
            throw AssertionRefusal.because("exp is too far ahead; an assertion may be valid for at most "
                    + MAX_LIFETIME.toMinutes() + " minutes");
        }
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && nbf.toInstant().isAfter(now.plus(leeway))) {
            throw AssertionRefusal.because("not yet valid (nbf is in the future)");
        }
        Date iat = claims.getIssueTime();
        if (iat != null && iat.toInstant().isAfter(now.plus(leeway))) {
            throw AssertionRefusal.because("issued in the future (iat)");
        }
        return exp;
    }
}
