package dev.mayfly.server.agent;

import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyError;
import dev.mayfly.core.error.MayflyException;
import dev.mayfly.core.policy.AgentKind;
import dev.mayfly.core.secret.OpaqueSecret;
import dev.mayfly.core.secret.RandomIds;
import dev.mayfly.core.secret.SecretKind;
import dev.mayfly.core.token.Audiences;
import dev.mayfly.core.token.Scopes;
import dev.mayfly.server.audit.AuditEvent;
import dev.mayfly.server.audit.AuditLog;
import dev.mayfly.server.audit.RequestContext;
import dev.mayfly.server.http.ClientText;
import dev.mayfly.server.store.Agent;
import dev.mayfly.server.store.AgentStore;
import dev.mayfly.server.store.AgentTrust;
import dev.mayfly.server.oauth.assertion.ClaimRules;
import dev.mayfly.server.oauth.assertion.IssuerUrls;
import dev.mayfly.server.store.Database;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Registers agents: validates the request, mints the client secret (returned once) and stores its hash, and keeps
 * the agent's assertion trust (federated issuer and claim rules, registered public key; see {@link AgentTrust}).
 */
public final class AgentRegistry {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

    private final Database db;
    private final AgentStore agents;
    private final Clock clock;
    private final AuditLog audit;

    public AgentRegistry(Database db, AgentStore agents, AuditLog audit, Clock clock) {
        this.audit = audit;
        this.db = db;
        this.agents = agents;
        this.clock = clock;
    }

    /** A new agent and its client secret (null when it has none), which exists only in this value from now on. */
    public record Registration(Agent agent, OpaqueSecret clientSecret) {
    }

    /** Registers an agent that logs in with a client secret; {@code origin} is who asked, for the audit record. */
    public Registration create(RequestContext origin, String name, AgentKind kind, List<String> scopes, List<String> audiences) {
        return create(origin, name, kind, scopes, audiences, AgentTrust.NONE, true);
    }

    /**
     * Registers an agent with assertion trust; {@code withSecret} false makes one that has no client secret at
     * all (it must then have a federated issuer or a public key).
     */
    public Registration create(RequestContext origin, String name, AgentKind kind, List<String> scopes, List<String> audiences,
                               AgentTrust trust, boolean withSecret) {
        requireValid(trust);
        if (!withSecret && !trust.federated() && !trust.keyBound()) {
            throw usage("an agent without a client secret needs a federated issuer or a public key to log in with");
        }
        if (name == null || !NAME.matcher(name).matches()) {
            throw usage("name must be 1-100 characters of A-Z a-z 0-9 . _ - and start with a letter or digit");
        }
        // Names, scopes and audiences are shown to every admin, put in tokens and kept in the audit trail: one
        // that is a secret (a client secret pasted into the wrong field) is refused, and not quoted back.
        if (ClientText.holdsSecret(name)) {
            throw usage("name looks like a secret; choose a name that is not a credential");
        }
        if (scopes == null || scopes.isEmpty()) {
            throw usage("scopes must list at least one scope");
        }
        for (String s : scopes) {
            if (s == null || !Scopes.isValidScopeToken(s)) {
                throw usage("scope '" + s + "' is not a valid OAuth scope token");
            }
            if (ClientText.holdsSecret(s)) {
                throw usage("a scope looks like a secret; scopes are names, never credentials");
            }
        }
        for (String a : audiences) {
            if (!Audiences.isValid(a)) {
                throw usage(Audiences.rule() + " (audience #" + (audiences.indexOf(a) + 1) + " is not)");
            }
            if (ClientText.holdsSecret(a)) {
                throw usage("audience #" + (audiences.indexOf(a) + 1) + " carries a secret; an audience names a service, "
                        + "never a credential");
            }
        }
        OpaqueSecret secret = withSecret ? OpaqueSecret.generate(SecretKind.CLIENT_SECRET) : null;
        Agent agent = new Agent(RandomIds.next("agt_", 20), RandomIds.next("cid_", 20), name, kind,
                List.copyOf(new LinkedHashSet<>(scopes)), List.copyOf(new LinkedHashSet<>(audiences)),
                secret == null ? null : secret.hash(), clock.instant(), null, trust);
        db.inTransaction(c -> {
            if (agents.byName(c, name).isPresent()) {
                throw new MayflyException(ErrorCode.CONFLICT, "An agent named " + name + " already exists.");
            }
            agents.insert(c, agent);
            audit.append(c, AuditEvent.of(origin, "agent.created").agent(agent.agentId())
                    .detail("name", name).detail("kind", kind.wireName()).detail("scopes", agent.scopes())
                    .detail("audiences", agent.audiences())
                    .detail("client_secret", secret == null ? null : AuditEvent.secretHint(secret.hash()))
                    .detail("trust", auditView(trust)));
            return null;
        });
        return new Registration(agent, secret);
    }

    /** Replaces an agent's assertion trust; refused when the agent would be left with no way to log in. */
    public Agent updateTrust(RequestContext origin, String agentId, AgentTrust trust) {
        requireValid(trust);
        return db.inTransaction(c -> {
            Agent current = agents.byId(c, agentId)
                    .orElseThrow(() -> new MayflyException(ErrorCode.NOT_FOUND, "No agent with id " + agentId + "."));
            if (!current.hasSecret() && !trust.federated() && !trust.keyBound()) {
                throw usage("agent " + current.name() + " has no client secret, so it needs a federated issuer or a "
                        + "public key to log in with");
            }
            agents.updateTrust(c, agentId, trust);
            audit.append(c, AuditEvent.of(origin, "agent.updated").agent(agentId).detail("trust", auditView(trust)));
            return current.withTrust(trust);
        });
    }

    private static void requireValid(AgentTrust trust) {
        if (trust.federated()) {
            java.net.URI uri;
            try {
                uri = new java.net.URI(trust.federatedIssuer());
            } catch (java.net.URISyntaxException e) {
                throw usage("the federated issuer must be a URL");
            }
            if (!IssuerUrls.isAcceptable(uri) || trust.federatedIssuer().length() > 500) {
                throw usage("the federated issuer must be an https URL (http only on loopback), without query or "
                        + "fragment, at most 500 characters");
            }
            if (trust.federatedClaims().isEmpty()) {
                throw usage("a federated issuer needs at least one claim rule (e.g. sub=...): without one, every "
                        + "token of that issuer would log in as this agent");
            }
            for (var rule : trust.federatedClaims().entrySet()) {
                if (!ClaimRules.isValidName(rule.getKey())) {
                    throw usage("claim rule names are claim names or paths like kubernetes.io/namespace");
                }
                if (rule.getValue() == null || rule.getValue().isEmpty() || rule.getValue().length() > 500) {
                    throw usage("claim rule " + rule.getKey() + " needs a value of 1 to 500 characters");
                }
                if (ClientText.holdsSecret(rule.getValue())) {
                    throw usage("claim rule " + rule.getKey() + " holds a secret; rules name workloads, never credentials");
                }
            }
        } else if (!trust.federatedClaims().isEmpty()) {
            throw usage("claim rules need a federated issuer");
        }
    }

    /** The trust as the audit trail records it: the issuer, its rules and the key's id. */
    private static java.util.Map<String, Object> auditView(AgentTrust trust) {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("federated_issuer", trust.federatedIssuer());
        m.put("federated_claims", trust.federatedClaims());
        String kid = null;
        if (trust.keyBound()) {
            try {
                kid = com.nimbusds.jose.jwk.JWK.parse(trust.publicJwk()).getKeyID();
            } catch (java.text.ParseException e) {
                kid = "?";
            }
        }
        m.put("public_key_kid", kid);
        return m;
    }

    public Optional<Agent> byName(String name) {
        return db.read(c -> agents.byName(c, name));
    }

    private static MayflyException usage(String message) {
        return new MayflyException(MayflyError.of(ErrorCode.USAGE, "Invalid agent: " + message + "."));
    }
}
