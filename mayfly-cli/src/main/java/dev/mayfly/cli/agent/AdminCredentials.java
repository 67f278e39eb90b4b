package dev.mayfly.cli.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.cli.cache.SecretFiles;
import dev.mayfly.cli.context.CliContext;
import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyError;
import dev.mayfly.core.error.MayflyException;
import dev.mayfly.core.json.Json;
import dev.mayfly.core.secret.Secret;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The bootstrap admin's credentials, as the broker wrote them at first start:
 * {@code $MAYFLY_HOME/admin.json} = {@code {client_id, client_secret, agent_id, url}} (mode 0600).
 * {@code toString} shows no secret.
 */
public record AdminCredentials(String clientId, Secret clientSecret, String agentId, String url) {
    public static final String FILE = "admin.json";

    public static Optional<AdminCredentials> load(CliContext ctx) {
        Path file = ctx.home().resolve(FILE);
        try {
            JsonNode j = Json.mapper().readTree(Files.readAllBytes(file));
            if (j == null || !j.path("client_id").isTextual() || !j.path("client_secret").isTextual()) {
                throw new MayflyException(ErrorCode.PRECONDITION, file + " does not hold client_id and client_secret.");
            }
            return Optional.of(new AdminCredentials(j.get("client_id").asText(), Secret.of(j.get("client_secret").asText()),
                    j.path("agent_id").asText(null), j.path("url").asText(null)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new MayflyException(ErrorCode.PRECONDITION, "Cannot read " + file + ".");
        }
    }

    public static AdminCredentials require(CliContext ctx) {
        Path file = ctx.home().resolve(FILE);
        AdminCredentials c = load(ctx).orElseThrow(() -> new MayflyException(MayflyError.builder(ErrorCode.PRECONDITION,
                        "No admin credentials at " + file + " (the broker writes them to its home at first start; "
                                + "point MAYFLY_HOME there or copy the file).")
                .build()));
        if (SecretFiles.readableByOthers(file)) {
            System.err.println("mayfly: warning: " + file + " is readable by group or others; chmod 600 it.");
        }
        return c;
    }

    /** A credential source that logs the admin in for this invocation and ends that session afterwards. */
    public AdminSource source(CliContext ctx, String brokerUrl) {
        return new AdminSource(this, ctx.oauth(brokerUrl), ctx.clock());
    }
}
