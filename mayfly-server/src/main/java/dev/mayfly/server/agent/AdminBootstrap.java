package dev.mayfly.server.agent;

import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyException;
import dev.mayfly.core.json.Json;
import dev.mayfly.core.policy.AgentKind;
import dev.mayfly.core.policy.TtlPolicy;
import dev.mayfly.server.audit.RequestContext;
import dev.mayfly.server.home.MayflyHome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On first start, registers the {@code admin} agent and writes its credentials to {@code admin.json}
 * (0600). The log says where they are, never what they are.
 */
public final class AdminBootstrap {
    public static final String ADMIN_NAME = "admin";
    public static final List<String> ADMIN_SCOPES =
            List.of(TtlPolicy.ADMIN_SCOPE, "mayfly:revoke", "mayfly:revocations:read");
    private static final Logger LOG = LoggerFactory.getLogger(AdminBootstrap.class);

    private AdminBootstrap() {
    }

    public static void ensureAdmin(AgentRegistry registry, Path credentialsFile, String issuer) {
        if (registry.byName(ADMIN_NAME).isPresent()) {
            return;
        }
        AgentRegistry.Registration r;
        try {
            r = registry.create(RequestContext.system("bootstrap"), ADMIN_NAME, AgentKind.INTERACTIVE, ADMIN_SCOPES, List.of());
        } catch (MayflyException e) {
            if (e.code() == ErrorCode.CONFLICT) {
                LOG.info("The bootstrap admin was created by another broker node; its credentials are in that node's home");
                return;
            }
            throw e;
        }
        writeCredentials(r, credentialsFile, issuer);
        LOG.info("Created the bootstrap admin agent {}; its credentials are in {} (mode 0600)",
                r.agent().agentId(), credentialsFile);
    }

    /**
     * Break-glass ({@code mayfly server --new-admin}): registers a fresh admin agent, named after the moment, and
     * replaces {@code admin.json} with its credentials. For when the admin's secret was reported leaked (which
     * disables the agent, and no API call re-enables one) or admin.json was lost. Whoever can start the broker
     * on this home and database already holds the master key, so this grants nothing they could not take.
     * Other admin agents are left as they are: disable them if their secret is compromised.
     */
    public static void replaceAdmin(AgentRegistry registry, Path credentialsFile, String issuer, Clock clock) {
        String name = ADMIN_NAME + "-" + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC)
                .format(clock.instant());
        AgentRegistry.Registration r = registry.create(RequestContext.system("new-admin"), name, AgentKind.INTERACTIVE,
                ADMIN_SCOPES, List.of());
        writeCredentials(r, credentialsFile, issuer);
        LOG.warn("Registered a new admin agent {} ({}) on request (--new-admin); its credentials replace {} (mode 0600)."
                        + " Earlier admin agents are unchanged: disable any whose secret is compromised",
                r.agent().agentId(), name, credentialsFile);
    }

    private static void writeCredentials(AgentRegistry.Registration r, Path credentialsFile, String issuer) {
        Map<String, Object> file = new LinkedHashMap<>();
        file.put("client_id", r.agent().clientId());
        file.put("client_secret", r.clientSecret().secret().reveal());
        file.put("agent_id", r.agent().agentId());
        file.put("url", issuer);
        try {
            MayflyHome.writeSecretFile(credentialsFile, Json.writeBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the admin credentials file " + credentialsFile, e);
        }
    }
}
