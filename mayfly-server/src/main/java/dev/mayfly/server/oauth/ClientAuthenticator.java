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
 * OAuth client authentication (RFC 6749 §2.3.1): {@code client_secret_basic} or {@code client_secret_post},
 * never both. Secrets are compared by hash in constant time; a malformed or unknown secret and a wrong one
 * fail the same way, so the answer does not tell which client ids exist.
 */
public final class ClientAuthenticator {
    /** Compared against when the client id is unknown; not a SHA-256 output anything hashes to in practice. */
    private static final String NO_SUCH_CLIENT = "f".repeat(64);
    private final Database db;
    private final AgentStore agents;
    /** Failed authentications allowed per client id and per address: a burst of 10, then one a second. */
    private final RateLimiter failuresPerClient;
    private final RateLimiter failuresPerAddress;

    ClientAuthenticator(Stores stores, java.time.Clock clock) {
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
        String storedHash = agent.map(a -> a.secretHash().toLowerCase(Locale.ROOT)).orElse(NO_SUCH_CLIENT);
        boolean equal = MessageDigest.isEqual(presentedHash.getBytes(StandardCharsets.US_ASCII),
                storedHash.getBytes(StandardCharsets.US_ASCII));
        boolean match = equal & agent.isPresent() & parsed.isPresent();
        if (!match) {
            throw invalidClient("Client authentication failed: unknown client or wrong secret.");
        }
        if (agent.get().disabled()) {
            throw new OAuthException("invalid_client", MayflyError.builder(ErrorCode.CREDENTIALS_REVOKED,
                            "Agent " + agent.get().name() + " is disabled; its credentials no longer work.")
                    .reauthCommand(null)
                    .detail("revoked", "agent")
                    .build());
        }
        return agent.get();
    }

    private static OAuthException invalidClient(String message) {
        return new OAuthException("invalid_client", MayflyError.builder(ErrorCode.CREDENTIALS_INVALID, message)
                .reauthCommand("mayfly auth login")
                .build());
    }
}
