package dev.mayfly.cli.revocations;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.cli.agent.AdminAccess;
import dev.mayfly.cli.auth.AuthenticatedCall;
import dev.mayfly.client.MayflyHttp;
import dev.mayfly.client.HttpReply;
import dev.mayfly.client.classify.BrokerErrors;
import dev.mayfly.cli.context.BrokerOptions;
import dev.mayfly.cli.context.CliCommand;
import dev.mayfly.cli.context.RefreshOptions;
import dev.mayfly.cli.output.Output;
import dev.mayfly.cli.schema.Outcomes;
import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyError;
import dev.mayfly.core.error.MayflyException;
import dev.mayfly.core.http.SseEvents;
import dev.mayfly.core.json.Json;
import dev.mayfly.core.revocation.FeedMessage;
import dev.mayfly.core.revocation.RevocationFeedCodec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code mayfly revocations watch}: follows {@code /v1/revocations/stream} and prints each event as one JSON
 * line. Reconnects after any disconnect with {@code Last-Event-ID}, so no revocation is missed or repeated.
 */
@Command(name = "watch", mixinStandardHelpOptions = true,
        description = {"Print the broker's revocations as they happen, one JSON line each: "
                + "{\"event\":\"revocation\",\"id\":SEQ,\"data\":{seq,kind,target,reason,revoked_at,covers_until}}.",
                "Starts with every revocation still in force (or after --since SEQ), then follows the live feed, "
                        + "reconnecting with Last-Event-ID after a disconnect. Needs mayfly:revocations:read "
                        + "(admin.json in $MAYFLY_HOME is used when present).",
                "A failure before the stream starts prints the envelope; one after it ends the stream with an "
                        + "envelope line."})
@Outcomes(data = "JSON lines: {event, id, data}", authenticated = true, streams = true)
public final class WatchCommand extends CliCommand {
    @Mixin
    BrokerOptions broker;

    @Mixin
    RefreshOptions refresh;

    @Option(names = "--since", paramLabel = "SEQ", description = "Start after this sequence number.")
    Long since;

    @Option(names = "--heartbeats", description = "Also print heartbeat events.")
    boolean heartbeats;

    @Option(names = "--max-events", paramLabel = "N", defaultValue = "0",
            description = "Stop after N revocation events (default: follow until interrupted).")
    int maxEvents;

    @Option(names = "--no-reconnect", description = "Stop when the stream ends instead of reconnecting (exit 0; if the "
            + "broker ended it because its token was revoked or expired, that error and its exit code).")
    boolean noReconnect;

    private int printed;
    private String lastId;
    /** Why the broker last closed the stream (its {@code closed} event); null while it has not. */
    private MayflyError closedBecause;

    @Override
    protected int execute(Output out) throws Exception {
        AdminAccess.Resolved admin = AdminAccess.resolve(context(), broker.url, refresh.autoRefresh());
        lastId = since == null ? null : Long.toString(since);
        MayflyHttp http = context().http();
        long backoffMs = 500;
        boolean started = false;
        try (var source = admin.source()) {
            while (true) {
                HttpResponse<InputStream> stream;
                try {
                    String resumeFrom = lastId;
                    stream = AuthenticatedCall.run(source, out, t -> open(http, admin.url(), t.value().reveal(), resumeFrom));
                } catch (MayflyException e) {
                    if (!started || e.code().isAuth() || noReconnect) {
                        throw e;
                    }
                    out.err().println("mayfly: revocation stream unavailable (" + e.code() + "); retrying in " + backoffMs + " ms");
                    Thread.sleep(backoffMs + ThreadLocalRandom.current().nextLong(backoffMs / 2 + 1));
                    backoffMs = Math.min(30_000, backoffMs * 2);
                    continue;
                }
                started = true;
                backoffMs = 500;
                closedBecause = null;
                if (!follow(stream.body(), out)) {
                    return 0;
                }
                if (noReconnect) {
                    // Ended by the broker because its token is no longer good: that is a failure, with its code.
                    return closedBecause == null ? 0 : out.fail(closedBecause);
                }
                out.err().println("mayfly: revocation stream ended; reconnecting after seq " + lastId);
            }
        }
    }

    /** Opens the stream, resuming after {@code resumeFrom} (Last-Event-ID) when there is one. */
    private static HttpResponse<InputStream> open(MayflyHttp http, String base, String bearer, String resumeFrom) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/v1/revocations/stream"))
                .header("Accept", "text/event-stream")
                .header("Authorization", "Bearer " + bearer);
        if (resumeFrom != null) {
            b.header("Last-Event-ID", resumeFrom);
        }
        HttpResponse<InputStream> r = http.stream(b);
        if (r.statusCode() != 200) {
            byte[] body;
            try (InputStream in = r.body()) {
                body = in.readNBytes(64 * 1024);
            } catch (IOException e) {
                body = new byte[0];
            }
            throw new MayflyException(new HttpReply(r.statusCode(), r.headers(), body).error(http.clock(), base));
        }
        return r;
    }

    /** Prints events until the stream ends (true: reconnect) or --max-events is reached (false: done). */
    private boolean follow(InputStream body, Output out) {
        SseEvents parser = new SseEvents((type, id, data) -> {
            if (RevocationFeedCodec.REVOCATION.equals(type)) {
                lastId = id != null ? id : lastId;
                print(type, id, data, out);
                printed++;
                return maxEvents <= 0 || printed < maxEvents;
            }
            if (RevocationFeedCodec.HEARTBEAT.equals(type) && heartbeats) {
                print(type, id, data, out);
            }
            if (RevocationFeedCodec.CLOSED.equals(type)) {
                // The token that opened the stream was revoked or expired: say so, then reconnect with a fresh one
                // (or fail with the reason, when none can be had).
                print(type, id, data, out);
                closedBecause = closedError(RevocationFeedCodec.decodeLeniently(type, id, data));
                out.err().println("mayfly: the broker closed the revocation stream: its token is no longer valid ("
                        + closedBecause.code() + ")");
            }
            return true;
        });
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (!parser.line(line)) {
                    return false;
                }
            }
        } catch (IOException e) {
            // A dropped connection: reconnect and resume.
        }
        return true;
    }

    /** The catalog error a {@code closed} event names; an unreadable or unknown one is {@code CREDENTIALS_INVALID}. */
    private static MayflyError closedError(FeedMessage m) {
        String code = m instanceof FeedMessage.Closed ? ((FeedMessage.Closed) m).code() : "";
        String message = m instanceof FeedMessage.Closed ? ((FeedMessage.Closed) m).message() : "";
        ErrorCode known = BrokerErrors.code(code).orElse(ErrorCode.CREDENTIALS_INVALID);
        return MayflyError.of(known, "The broker closed the revocation stream: "
                + (message.isBlank() ? "its token is no longer valid." : message));
    }

    private static void print(String type, String id, String data, Output out) {
        JsonNode parsed;
        try {
            parsed = Json.mapper().readTree(data);
        } catch (IOException e) {
            parsed = Json.mapper().getNodeFactory().textNode(data);
        }
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("event", type);
        line.put("id", id == null ? null : id.matches("\\d{1,18}") ? (Object) Long.parseLong(id) : id);
        line.put("data", parsed);
        if (out.json()) {
            out.out().println(Json.write(line));
        } else {
            out.out().printf("%s %s %s%n", type, id == null ? "" : id, data);
        }
        out.out().flush();
    }
}
