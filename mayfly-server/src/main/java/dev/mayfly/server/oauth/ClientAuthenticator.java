package dev.mayfly.server.oauth;

import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyError;
import dev.mayfly.core.secret.OpaqueSecret;
import dev.mayfly.core.secret.Secret;
import dev.mayfly.core.secret.SecretKind;
import dev.mayfly.server.audit.Actor;
import dev.mayfly.server.audit.Credential;
import dev.mayfly.server.http.HttpExchange;
import dev.mayfly.server.http.RateLimiter;
import dev.mayfly.server.oauth.assertion.AssertionAuthenticator;
import dev.mayfly.server.store.Agent;
import dev.mayfly.server.store.AgentStore;
import dev.mayfly.server.store.Database;
import dev.mayfly.server.store.Stores;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;

/**
 * OAuth client authentication (RFC 6749 §2.3.1): {@code client_secret_basic}, {@code client_secret_post} or a
 * JWT assertion ({@code private_key_jwt} and federated, RFC 7523 §2.2, see {@link AssertionAuthenticator}), never
 * two at once. Secrets are compared by hash in constant time; a malformed or unknown secret and a wrong one
 * fail the same way, so the answer does not tell which client ids exist.
 */
public final class ClientAuthenticator {
    /** Compared against when the client id is unknown; not a SHA-256 output anything hashes to in practice. */
    private static final String NO_SUCH_CLIENT = "f".repeat(64);
    private static final String ATTESTED_ISSUER = "assertion_issuer";
    private static final String ATTESTED_SUBJECT = "assertion_subject";
    private static final String ATTESTED_TRUST = "client_auth";
    private static final String ATTESTED_TIER = "attested_tier";
    private final Database db;
    private final AgentStore agents;
    /** Failed authentications allowed per client id and per address: a burst of 10, then one a second. */
    private final RateLimiter failuresPerClient;
    private final RateLimiter failuresPerAddress;
    private final AssertionAuthenticator assertions;

    ClientAuthenticator(Stores stores, java.time.Clock clock, AssertionAuthenticator assertions) {
        this.assertions = assertions;
        this.db = stores.db();
        this.agents = stores.agents();
        this.failuresPerClient = new RateLimiter(1, 10, clock);
        this.failuresPerAddress = new RateLimiter(1, 10, clock);
    }

    /**
     * The authenticated agent, or empty when the request carries no client credentials at all. The agent is
     * recorded on the exchange as the request's actor.
     */
    Optional<Agent> authenticateIfPresent(HttpExchange ex, FormParams form) {
        String header = ex.header("Authorization");
        boolean basic = header != null && header.regionMatches(true, 0, "Basic ", 0, 6);
        String postedId = form.optional("client_id");
        String postedSecret = form.optional("client_secret");
        String assertionType = form.optional("client_assertion_type");
        String assertion = form.optional("client_assertion");
        if (assertionType != null || assertion != null) {
            if (basic || postedSecret != null) {
                throw OAuthErrors.invalidRequest("Use one client authentication method, not a client assertion and a secret.");
            }
            return Optional.of(authenticateByAssertion(ex, postedId, assertionType, assertion));
        }
        if (basic && postedSecret != null) {
            throw OAuthErrors.invalidRequest("Use one client authentication method, not both Basic and client_secret.");
        }
        String clientId;
        String secret;
        if (basic) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw invalidClient("The Basic authorization header is not valid base64.");
            }
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                throw invalidClient("The Basic authorization header must hold client_id:client_secret.");
            }
            try {
                // RFC 6749 §2.3.1: both halves are form-urlencoded before they are joined.
                clientId = URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8);
                secret = URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw invalidClient("The Basic authorization header has a malformed percent-encoding.");
            }
            if (postedId != null && !postedId.equals(clientId)) {
                throw OAuthErrors.invalidRequest("client_id does not match the Basic authorization header.");
            }
        } else if (postedSecret != null) {
            if (postedId == null) {
                throw OAuthErrors.invalidRequest("client_secret was sent without client_id.");
            }
            clientId = postedId;
            secret = postedSecret;
        } else {
            return Optional.empty();
        }
        // Once a client id or an address has used up its failures, even the right secret waits: otherwise
        // guessing would go on at full speed and only the answers would change.
        failuresPerClient.requireAvailable(clientId, "failed authentications for this client");
        failuresPerAddress.requireAvailable(ex.clientAddress(), "failed authentications from this address");
        try {
            Agent agent = verify(ex, clientId, secret);
            ex.authenticated(Actor.agent(agent.agentId()));
            return Optional.of(agent);
        } catch (OAuthException e) {
            if (e.code() == ErrorCode.CREDENTIALS_INVALID) {
                failuresPerClient.take(clientId);
                failuresPerAddress.take(ex.clientAddress());
            }
            throw e;
        }
    }

    private Agent authenticateByAssertion(HttpExchange ex, String postedId, String type, String assertion) {
        if (!AssertionAuthenticator.JWT_BEARER.equals(type)) {
            throw OAuthErrors.invalidRequest("client_assertion_type must be " + AssertionAuthenticator.JWT_BEARER + ".");
        }
        if (assertion == null) {
            throw OAuthErrors.invalidRequest("client_assertion is required with client_assertion_type.");
        }
        // RFC 7523 §3: client_id is optional; private_key_jwt names the client in sub. A federated assertion's sub
        // is the workload's own name, so such a login must send client_id.
        String clientId = postedId != null ? postedId : AssertionAuthenticator.claimedClientId(assertion)
                .orElseThrow(() -> OAuthErrors.invalidRequest("client_id is required with a client assertion whose sub "
                        + "is not the client id."));
        failuresPerClient.requireAvailable(clientId, "failed authentications for this client");
        failuresPerAddress.requireAvailable(ex.clientAddress(), "failed authentications from this address");
        try {
            AssertionAuthenticator.Attested attested = assertions.authenticate(clientId, assertion,
                    a -> ex.presented(Credential.agent(a.agentId())));
            Agent agent = attested.agent();
            if (agent.disabled()) {
                throw disabled(agent);
            }
            ex.authenticated(Actor.agent(agent.agentId()));
            // For the audit record of the login (the grant writes it): who vouched for the agent.
            ex.attribute(ATTESTED_ISSUER, attested.issuer());
            ex.attribute(ATTESTED_SUBJECT, attested.subject());
            ex.attribute(ATTESTED_TRUST, attested.trust());
            if (attested.tier() != null) {
                ex.attribute(ATTESTED_TIER, attested.tier().wireName());
            }
            return agent;
        } catch (OAuthException e) {
            if (e.code() == ErrorCode.CREDENTIALS_INVALID) {
                failuresPerClient.take(clientId);
                failuresPerAddress.take(ex.clientAddress());
            }
            throw e;
        }
    }

    /** The audit details of a login by assertion, or an empty map for one by secret. */
    static java.util.Map<String, Object> attestation(HttpExchange ex) {
        if (ex.attribute(ATTESTED_ISSUER) == null) {
            return java.util.Map.of();
        }
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("client_auth", ex.attribute(ATTESTED_TRUST));
        m.put("assertion_issuer", ex.attribute(ATTESTED_ISSUER));
        m.put("assertion_subject", String.valueOf(ex.attribute(ATTESTED_SUBJECT)));
        if (ex.attribute(ATTESTED_TIER) != null) {
            m.put("attested_tier", ex.attribute(ATTESTED_TIER));
        }
        return m;
    }

    /** The least tier the policy gives what this request's login attested, or null. */
    static dev.mayfly.core.policy.Tier attestedTier(HttpExchange ex) {
        String t = ex.attribute(ATTESTED_TIER);
        return t == null ? null : dev.mayfly.core.policy.Tier.parse(t);
    }

    /** The authenticated agent; a request without client credentials is refused. */
    Agent authenticate(HttpExchange ex, FormParams form) {
        return authenticateIfPresent(ex, form).orElseThrow(() -> new OAuthException("invalid_client",
                MayflyError.builder(ErrorCode.CREDENTIALS_MISSING,
                                "Client authentication is required (client_secret_basic or client_secret_post).")
                        .reauthCommand("mayfly auth login")
                        .build()));
    }

    private Agent verify(HttpExchange ex, String clientId, String secret) {
        Optional<OpaqueSecret> parsed = OpaqueSecret.parse(secret, SecretKind.CLIENT_SECRET);
        Optional<Agent> agent = db.read(c -> agents.byClientId(c, clientId));
        // For the audit only (a refusal names the agent whose client id was tried); the answer stays the same.
        agent.ifPresent(a -> ex.presented(Credential.agent(a.agentId())));
        // The same work whatever is wrong: a malformed secret is hashed too, an unknown client is compared
        // against a stand-in, and the comparison of equal-length hashes is constant-time.
        String presentedHash = parsed.map(OpaqueSecret::hash).orElseGet(() -> Secret.sha256Hex(secret));
        String storedHash = agent.filter(Agent::hasSecret).map(a -> a.secretHash().toLowerCase(Locale.ROOT))
                .orElse(NO_SUCH_CLIENT);
        boolean equal = MessageDigest.isEqual(presentedHash.getBytes(StandardCharsets.US_ASCII),
                storedHash.getBytes(StandardCharsets.US_ASCII));
        boolean match = equal & agent.isPresent() & parsed.isPresent();
        if (!match) {
            if (agent.isPresent() && !agent.get().hasSecret()) {
                throw invalidClient("Agent " + agent.get().name() + " has no client secret; it logs in with a JWT "
                        + "assertion (mayfly auth login --federated, --assertion-file or --private-key).");
            }
            throw invalidClient("Client authentication failed: unknown client or wrong secret.");
        }
        if (agent.get().disabled()) {
            throw disabled(agent.get());
        }
        return agent.get();
    }

    private static OAuthException disabled(Agent agent) {
        return new OAuthException("invalid_client", MayflyError.builder(ErrorCode.CREDENTIALS_REVOKED,
                        "Agent " + agent.name() + " is disabled; its credentials no longer work.")
                .reauthCommand(null)
                .detail("revoked", "agent")
                .build());
    }

    private static OAuthException invalidClient(String message) {
        return new OAuthException("invalid_client", MayflyError.builder(ErrorCode.CREDENTIALS_INVALID, message)
                .reauthCommand("mayfly auth login")
                .build());
    }
}
