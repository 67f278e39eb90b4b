package dev.mayfly.cli.auth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.client.MayflyHttp;
import dev.mayfly.client.HttpReply;
import dev.mayfly.cli.output.Output;
import dev.mayfly.client.AccessToken;
import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyError;
import dev.mayfly.core.error.MayflyException;
import dev.mayfly.core.secret.Secret;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Inside {@code mayfly exec}: asks the parent's loopback credential endpoint for the current task token.
 * The parent mints a new one whenever the old one is due, so this source never holds a stale token; on a
 * server-side expiry it asks for a forced renewal once.
 */
final class ExecEndpointSource implements CredentialSource {
    private final MayflyHttp http;
    private final String endpoint;
    private final Secret runSecret;
    private final Clock clock;

    ExecEndpointSource(MayflyHttp http, String endpoint, Secret runSecret, Clock clock) {
        this.http = http;
        this.endpoint = endpoint;
        this.runSecret = runSecret;
        this.clock = clock;
    }

    @Override
    public String kind() {
        return "exec";
    }

    @Override
    public AccessToken token(Output out) {
        return fetch(false);
    }

    @Override
    public Optional<AccessToken> renew(AccessToken rejected, Output out) {
        AccessToken fresh = fetch(true);
        out.warn("The server said the task token had expired; got a new one from mayfly exec and retried once.");
        return Optional.of(fresh);
    }

    @Override
    public MayflyError explain(MayflyError error, AccessToken used) {
        return UsedTokenExpiry.fill(error, used, clock);
    }

    private AccessToken fetch(boolean renew) {
        HttpReply r = http.send(HttpRequest.newBuilder(URI.create(endpoint + (renew ? "?renew=1" : "")))
                .header("Authorization", "Bearer " + runSecret.reveal())
                .GET());
        if (!r.successful()) {
            throw new MayflyException(r.error(http.clock(), "mayfly exec's credential endpoint"));
        }
        JsonNode body = r.json();
        if (body == null || !body.path("access_token").isTextual()) {
            throw new MayflyException(ErrorCode.INTERNAL, "mayfly exec's credential endpoint answered without a token.");
        }
        Instant expiresAt = null;
        try {
            expiresAt = body.hasNonNull("expires_at") ? Instant.parse(body.get("expires_at").asText()) : null;
        } catch (DateTimeParseException ignored) {
            // Fall back to the token's own exp.
        }
        return AccessToken.of(Secret.of(body.get("access_token").asText()), expiresAt);
    }
}
