package dev.mayfly.cli.keys;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.cli.audit.AdminGet;
import dev.mayfly.cli.context.BrokerOptions;
import dev.mayfly.cli.context.CliCommand;
import dev.mayfly.cli.context.RefreshOptions;
import dev.mayfly.cli.output.Output;
import dev.mayfly.cli.schema.Outcomes;
import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyException;
import dev.mayfly.core.time.Durations;
import dev.mayfly.server.crypto.SigningKeyRing;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code mayfly keys rotate}: publishes a new signing key now; it signs after {@code --publish-ahead}
 * (longer than verifiers cache the JWKS), and the old key is withdrawn once its last token expired.
 */
@Command(name = "rotate", mixinStandardHelpOptions = true,
        description = "Rotate the signing key: publish the next key now, sign with it after --publish-ahead.")
@Outcomes(data = "kid (the new key), keys[]", authenticated = true, errors = {ErrorCode.PRECONDITION})
public final class RotateKeysCommand extends CliCommand {
    @Mixin
    BrokerOptions broker;

    @Mixin
    RefreshOptions refresh;

    @Option(names = "--publish-ahead", paramLabel = "DURATION", defaultValue = "5m",
            description = "How long the new key is published before it signs, at least 10s: twice the interval at "
                    + "which every broker node reloads its keys (default: ${DEFAULT-VALUE}).")
    String publishAhead;

    @Override
    protected int execute(Output out) {
        Duration ahead;
        try {
            ahead = Durations.parse(publishAhead);
        } catch (IllegalArgumentException e) {
            throw new MayflyException(ErrorCode.USAGE, "--publish-ahead: " + e.getMessage());
        }
        // Checked here too, so the mistake is named before anything is sent (the broker refuses it anyway).
        if (ahead.compareTo(SigningKeyRing.MIN_PUBLISH_AHEAD) < 0) {
            throw new MayflyException(ErrorCode.USAGE, "--publish-ahead: "
                    + SigningKeyRing.publishAheadTooShort(Durations.format(ahead)));
        }
        JsonNode data = AdminGet.call(context(), broker.url, refresh.autoRefresh(), out,
                (v1, token) -> v1.post("/v1/keys/rotate", token, Map.of("publish_ahead_s", ahead.getSeconds())));
        return out.ok(data, p -> p.printf("new signing key %s: published now, signs in %s%n", data.path("kid").asText(),
                Durations.format(ahead)));
    }
}
