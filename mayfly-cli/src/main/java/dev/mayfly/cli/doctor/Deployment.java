package dev.mayfly.cli.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.cli.agent.AdminAccess;
import dev.mayfly.cli.auth.AuthenticatedCall;
import dev.mayfly.cli.auth.CredentialSource;
import dev.mayfly.client.HttpReply;
import dev.mayfly.client.TokenResponse;
import dev.mayfly.client.V1Api;
import dev.mayfly.cli.context.CliContext;
import dev.mayfly.cli.output.Output;
import dev.mayfly.client.AccessToken;
import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyException;
import dev.mayfly.policy.PolicyDocument;
import dev.mayfly.core.policy.TtlPolicy;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The deployment under examination, shared by the checks of one {@code mayfly doctor} run: the broker URL,
 * the admin credential (resolved the way every admin command resolves it, and only when a check needs it),
 * and what several checks read (the discovery metadata, the effective policy, the agents), fetched once.
 * Not thread-safe: checks run one after another.
 */
final class Deployment implements AutoCloseable {
    private final CliContext ctx;
    private final Output out;
    private final String url;
    private final CredentialSource admin;
    private final MayflyException adminProblem;
    private final DoctorSettings settings;
    private final V1Api v1;
    private JsonNode metadata;
    private TtlPolicy policy;
    private List<JsonNode> agents;
    private Issuance firstIssuance;
    private boolean reachable = true;

    /** When the admin's first token of this run was issued, as the broker's {@code iat} and the local clock saw it. */
    record Issuance(AccessToken token, Instant localBefore, Instant localAfter) {
    }

    private Deployment(CliContext ctx, Output out, String url, CredentialSource admin, MayflyException adminProblem,
                       DoctorSettings settings) {
        this.ctx = ctx;
        this.out = out;
        // Doctor examines one node (TLS, metadata, reachability); with several, the first named, while its
        // /v1 calls may fail over to the others like every command's.
        this.url = CliContext.brokerUrls(url).get(0);
        this.admin = admin;
        this.adminProblem = adminProblem;
        this.settings = settings;
        this.v1 = ctx.v1(url);
    }

    static Deployment open(CliContext ctx, Output out, String explicitUrl, boolean autoRefresh, DoctorSettings settings) {
        try {
            AdminAccess.Resolved r = AdminAccess.resolve(ctx, explicitUrl, autoRefresh);
            return new Deployment(ctx, out, r.url(), r.source(), null, settings);
        } catch (MayflyException e) {
            return new Deployment(ctx, out, ctx.brokerUrl(explicitUrl), null, e, settings);
        }
    }

    String url() {
        return url;
    }

    CliContext context() {
        return ctx;
    }

    Clock clock() {
        return ctx.clock();
    }

    Output output() {
        return out;
    }

    DoctorSettings settings() {
        return settings;
    }

    boolean reachable() {
        return reachable;
    }

    void unreachable() {
        reachable = false;
    }

    /** An unauthenticated GET of a path on the broker (or of an absolute URL), as received. */
    HttpReply get(String pathOrUrl) {
        String target = pathOrUrl.startsWith("http") ? pathOrUrl : url + pathOrUrl;
        return ctx.http().send(HttpRequest.newBuilder(URI.create(target)).header("Accept", "application/json").GET(),
                Duration.ofSeconds(10));
    }

    /** The admin credential; a check that needs it fails with why there is none. */
    CredentialSource admin() {
        if (admin == null) {
            throw adminProblem;
        }
        return admin;
    }

    /** The admin's token; the first one of the run is recorded with the local time around its issuance. */
    AccessToken adminToken() {
        if (firstIssuance == null) {
            Instant before = ctx.now();
            AccessToken t = admin().token(out);
            firstIssuance = new Issuance(t, before, ctx.now());
        }
        return admin().token(out);
    }

    /**
     * A token the broker issued just now, with the local time around the request: the admin's first login
     * of this run, or, when the credential is a cached session (whose token may be old), a one-minute
     * task token exchanged from it for the purpose.
     */
    Issuance freshIssuance() {
        adminToken();
        if ("admin".equals(admin().kind())) {
            return firstIssuance;
        }
        Instant before = ctx.now();
        TokenResponse g = ctx.oauth(url).exchange(adminToken().value(), null, null, null, Duration.ofSeconds(60));
        Instant after = ctx.now();
        return new Issuance(AccessToken.of(g.accessToken()), before, after);
    }

    JsonNode adminGet(String pathAndQuery) {
        adminToken();
        return AuthenticatedCall.run(admin(), out, t -> v1.get(pathAndQuery, t.value()));
    }

    JsonNode adminPost(String path, Object body) {
        adminToken();
        return AuthenticatedCall.run(admin(), out, t -> v1.post(path, t.value(), body));
    }

    V1Api v1() {
        return v1;
    }

    /** {@code /.well-known/oauth-authorization-server}, fetched once. */
    JsonNode metadata() {
        if (metadata == null) {
            HttpReply r = get("/.well-known/oauth-authorization-server");
            JsonNode body = r.json();
            if (!r.successful() || body == null || !body.path("issuer").isTextual()) {
                throw new MayflyException(ErrorCode.UNAVAILABLE,
                        "The broker's metadata (/.well-known/oauth-authorization-server) answered HTTP " + r.status()
                                + " without an issuer.");
            }
            metadata = body;
        }
        return metadata;
    }

    /** The broker's effective policy ({@code GET /v1/policy}), fetched once. */
    TtlPolicy policy() {
        if (policy == null) {
            policy = PolicyDocument.fromTree(adminGet("/v1/policy"), url + "/v1/policy");
        }
        return policy;
    }

    /** Every registered agent ({@code GET /v1/agents}, all pages), fetched once. */
    List<JsonNode> agents() {
        if (agents == null) {
            List<JsonNode> all = new ArrayList<>();
            String after = null;
            do {
                JsonNode page = adminGet("/v1/agents?limit=500" + (after == null ? "" : "&after=" + after));
                page.path("agents").forEach(all::add);
                after = page.path("next_after").isTextual() ? page.get("next_after").asText() : null;
            } while (after != null);
            agents = List.copyOf(all);
        }
        return agents;
    }

    /** Log paths the deployment's scanner should cover (from doctor.toml and --log-path). */
    List<Path> logPaths() {
        return settings.logPaths();
    }

    @Override
    public void close() {
        if (admin != null) {
            admin.close();
        }
    }
}
