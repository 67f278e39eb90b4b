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
import dev.mayfly.server.store.Database;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** Registers agents: validates the request, mints the client secret (returned once) and stores its hash. */
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

    /** A new agent and its client secret, which exists only in this value from now on. */
    public record Registration(Agent agent, OpaqueSecret clientSecret) {
    }

    /** Registers an agent; {@code origin} is who asked, for the audit record. */
    public Registration create(RequestContext origin, String name, AgentKind kind, List<String> scopes, List<String> audiences) {
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
        OpaqueSecret secret = OpaqueSecret.generate(SecretKind.CLIENT_SECRET);
        Agent agent = new Agent(RandomIds.next("agt_", 20), RandomIds.next("cid_", 20), name, kind,
                List.copyOf(new LinkedHashSet<>(scopes)), List.copyOf(new LinkedHashSet<>(audiences)), secret.hash(),
                clock.instant(), null);
        db.inTransaction(c -> {
            if (agents.byName(c, name).isPresent()) {
                throw new MayflyException(ErrorCode.CONFLICT, "An agent named " + name + " already exists.");
            }
            agents.insert(c, agent);
            audit.append(c, AuditEvent.of(origin, "agent.created").agent(agent.agentId())
                    .detail("name", name).detail("kind", kind.wireName()).detail("scopes", agent.scopes())
                    .detail("audiences", agent.audiences())
                    .detail("client_secret", AuditEvent.secretHint(secret.hash())));
            return null;
        });
        return new Registration(agent, secret);
    }

    public Optional<Agent> byName(String name) {
        return db.read(c -> agents.byName(c, name));
    }

    private static MayflyException usage(String message) {
        return new MayflyException(MayflyError.of(ErrorCode.USAGE, "Invalid agent: " + message + "."));
    }
}
