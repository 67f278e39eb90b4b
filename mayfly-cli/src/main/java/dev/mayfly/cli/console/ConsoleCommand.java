package dev.mayfly.cli.console;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.cli.agent.AdminAccess;
import dev.mayfly.cli.auth.AuthenticatedCall;
import dev.mayfly.cli.context.BrokerOptions;
import dev.mayfly.cli.context.CliCommand;
import dev.mayfly.cli.context.RefreshOptions;
import dev.mayfly.cli.output.Output;
import dev.mayfly.cli.schema.Outcomes;
import dev.mayfly.client.V1Api;
import dev.mayfly.core.error.ErrorCode;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code mayfly console}: asks the broker (as the admin) for a one-time console link, prints it, and opens it in
 * the browser when a person is at a terminal with a display. The link works once, for 60 seconds; the page
 * trades it for a short console session (docs/console.md).
 */
@Command(name = "console", mixinStandardHelpOptions = true,
        description = "Open the broker's web console: print (and open) a one-time sign-in link, good once for 60 s.")
@Outcomes(data = "url (the one-time link), expires_at, opened", authenticated = true,
        errors = {ErrorCode.PERMISSION_DENIED, ErrorCode.PRECONDITION})
public final class ConsoleCommand extends CliCommand {
    @Mixin
    BrokerOptions broker;

    @Mixin
    RefreshOptions refresh;

    @Option(names = "--no-open", description = "Only print the link; do not start a browser.")
    boolean noOpen;

    @Override
    protected int execute(Output out) {
        AdminAccess.Resolved admin = AdminAccess.resolve(context(), broker.url, refresh.autoRefresh());
        V1Api v1 = context().http().v1(admin.url());
        JsonNode link;
        try (var source = admin.source()) {
            link = AuthenticatedCall.run(source, out, t -> v1.post("/v1/console/links", t.value(), Map.of()));
        }
        // The link is for the broker as this CLI reaches it, which is how the operator's browser reaches it too.
        String url = trimmed(admin.url()) + link.path("path").asText();
        boolean opened = !noOpen && !out.json() && BrowserLauncher.open(context().env(), url);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("url", url);
        data.put("expires_at", link.path("expires_at").asText());
        data.put("opened", opened);
        return out.ok(data, p -> {
            p.printf("%s%n", url);
            p.printf("Works once, until %s.%s%n", link.path("expires_at").asText(), opened ? " Opened in your browser." : "");
        });
    }

    private static String trimmed(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
