package dev.mayfly.server.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyException;
import dev.mayfly.core.json.Json;
import dev.mayfly.server.audit.Actor;
import dev.mayfly.server.audit.Credential;
import dev.mayfly.server.audit.RequestContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.ArrayList;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.FutureCallback;

/**
 * One request and its response, with the few things handlers need: path parameters, a bounded body read
 * as a form or JSON, and one way to send bytes. Handlers run on a server thread and may block.
 */
public final class HttpExchange {
    /** Request bodies larger than this are refused; no Mayfly request needs more. */
    public static final int MAX_BODY_BYTES = 64 * 1024;
    /**
     * A body over the limit but under this is read to its end and dropped before the refusal is sent: a
     * server that answers and closes while the client is still sending makes the client's TCP stack reset
     * the connection, and the client never sees the answer. Larger bodies are refused without reading.
     */
    private static final int MAX_DISCARDED_BYTES = 1024 * 1024;
    /** A streamed chunk not taken by the client within this time ends the stream. */
    private static final long STREAM_WRITE_TIMEOUT_SECONDS = 30;

    /** Mayfly's JSON reader, refusing trailing content and duplicate members. */
    private static final ObjectReader STRICT_JSON = Json.mapper().reader()
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private final Request request;
    private final Response response;
    private final Callback callback;
    private final long startNanos;
    /** Replaced, never mutated, when the caller authenticates: snapshots handed out earlier stay as they were. */
    private RequestContext context;
    private Credential presented;
    private Map<String, String> pathParams = Map.of();
    private String route = "unmatched";
    private final Map<String, String> attributes = new java.util.HashMap<>();
    private byte[] body;
    private boolean bodyAttempted;
    private int status;
    private boolean sent;
    /** Set by the console's cookie path: every string of a JSON answer goes through the scanner's redaction. */
    private boolean redactResponses;
    /** Headers that may repeat ({@code Set-Cookie}), added to the response when it is sent. */
    private final List<Map.Entry<String, String>> addedHeaders = new ArrayList<>();

    /** {@code --issuer}, or null. */
    private final ProofTargetUri.PublicUrl publicUrl;

    HttpExchange(Request request, Response response, Callback callback, RequestContext context, long startNanos,
                 ProofTargetUri.PublicUrl publicUrl) {
        this.publicUrl = publicUrl;
        this.request = request;
        this.response = response;
        this.callback = callback;
        this.context = context;
        this.startNanos = startNanos;
    }

    public String method() {
        return request.getMethod();
    }

    public String path() {
        return request.getHttpURI().getPath();
    }

    public String header(String name) {
        return request.getHeaders().get(name);
    }

    /** Every value of a header, in order (a DPoP request must carry exactly one {@code DPoP} header). */
    public List<String> headers(String name) {
        return request.getHeaders().getValuesList(name);
    }

    /** The request's absolute URI as the client addressed it (the Host it sent), without the query. */
    public String uriWithoutQuery() {
        var uri = request.getHttpURI();
        return uri.getScheme() + "://" + uri.getAuthority() + (uri.getPath() == null ? "/" : uri.getPath());
    }

    /**
     * The URI this request's DPoP proof must name in {@code htu}: as received, or under the configured public
     * origin when the proof names that origin ({@link ProofTargetUri}).
     */
    public String dpopTargetUri(List<String> proofs) {
        return ProofTargetUri.choose(uriWithoutQuery(), publicUrl, path(), proofs);
    }

    public String requestId() {
        return context.requestId();
    }

    /**
     * Who is asking, as known now: the request id and address, and the actor once authenticated. Take it
     * after authenticating and hand it to whatever records the request's audit events.
     */
    public RequestContext context() {
        return context;
    }

    /**
     * Attributes the rest of the request to {@code actor}: called by whatever authenticated the caller, so
     * a later refusal (a missing scope, say) is still audited as that caller's. A later authentication in
     * the same request (a subject token after a client secret) names the caller more precisely and wins.
     */
    public void authenticated(Actor actor) {
        context = context.authenticated(actor);
    }

    /**
     * Records whose credential the request presented, once it proved authentic (even if the request is then
     * refused): the audit of a refusal names it. The latest call wins, like {@link #authenticated}.
     */
    public void presented(Credential credential) {
        this.presented = credential;
    }

    /** Whose credential the request presented, or null when none proved authentic. */
    public Credential presented() {
        return presented;
    }

    public long elapsedNanos() {
        return System.nanoTime() - startNanos;
    }

    /** A tag a handler leaves for the request listeners (e.g. the grant type, for metrics). */
    public void attribute(String name, String value) {
        attributes.put(name, value);
    }

    public String attribute(String name) {
        return attributes.get(name);
    }

    public long elapsedMillis() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    public String clientAddress() {
        return context.clientAddress();
    }

    /** The matched route template ({@code /v1/agents/{id}}), or {@code unmatched}: low-cardinality, for metrics. */
    public String route() {
        return route;
    }

    void route(String template) {
        this.route = template;
    }

    public String pathParam(String name) {
        return pathParams.get(name);
    }

    void pathParams(Map<String, String> params) {
        this.pathParams = params;
    }

    /** Query parameters, each name to all its values. */
    public Map<String, List<String>> query() {
        return decodeUrlEncoded(request.getHttpURI().getQuery());
    }

    /** The body as {@code application/x-www-form-urlencoded} parameters (RFC 6749 §3.2 requests). */
    public Map<String, List<String>> form() {
        String type = header("Content-Type");
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            throw new MayflyException(ErrorCode.USAGE, "The request body must be application/x-www-form-urlencoded.");
        }
        return decodeUrlEncoded(new String(body(), StandardCharsets.UTF_8));
    }

    /**
     * The body as one JSON document, declared {@code Content-Type: application/json} (else 415 {@code USAGE}),
     * with nothing after the value and no member named twice (else {@code USAGE}): a body that two parsers
     * could read two ways is refused rather than read one way here and another in a proxy. An empty body
     * reads as an empty object whatever its type: there is nothing to type.
     */
    public JsonNode json() {
        byte[] b = body();
        if (b.length == 0) {
            return Json.mapper().createObjectNode();
        }
        if (!isJson(header("Content-Type"))) {
            throw new UnsupportedMediaType("The request body must be JSON, sent with Content-Type: application/json.");
        }
        try {
            JsonNode node = STRICT_JSON.readTree(b);
            return node == null || node.isMissingNode() ? Json.mapper().createObjectNode() : node; // only whitespace
        } catch (IOException e) {
            throw new MayflyException(ErrorCode.USAGE, "The request body is not valid JSON (one value, each member once, "
                    + "nothing after it).");
        }
    }

    /** {@code application/json}, any case, with or without parameters ({@code ; charset=utf-8}). */
    private static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
        return type.equalsIgnoreCase("application/json");
    }

    /**
     * The request body exactly as received (at most {@link #MAX_BODY_BYTES}), e.g. to check a signature over
     * it; read once, later calls and {@link #json()} / {@link #form()} see the same bytes.
     */
    public byte[] rawBody() {
        return body().clone();
    }

    private byte[] body() {
        if (body != null) {
            return body;
        }
        bodyAttempted = true;
        if (request.getLength() > MAX_DISCARDED_BYTES) { // refused before a byte of it is read
            throw tooLarge();
        }
        try (InputStream in = Content.Source.asInputStream(request)) {
            byte[] read = in.readNBytes(MAX_BODY_BYTES + 1);
            if (read.length > MAX_BODY_BYTES) {
                drain(in, MAX_DISCARDED_BYTES - read.length);
                throw tooLarge();
            }
            body = read;
            return body;
        } catch (IOException e) {
            if (causedBy(e, TimeoutException.class)) {
                throw new MayflyException(ErrorCode.USAGE, "The request body did not arrive in time.");
            }
            throw new MayflyException(ErrorCode.USAGE, "The request body could not be read.");
        }
    }

    /** Reads and drops at most {@code limit} more bytes; beyond that the connection is left to close. */
    private static void drain(InputStream in, long limit) throws IOException {
        byte[] buf = new byte[8192];
        for (long left = limit; left > 0; ) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) {
                return;
            }
            left -= n;
        }
    }

    private static MayflyException tooLarge() {
        return new MayflyException(ErrorCode.USAGE, "The request body is larger than " + MAX_BODY_BYTES + " bytes.");
    }

    private static boolean causedBy(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Reads and drops a request body the handler never read (it failed before), so the connection can be
     * reused: a response sent over an unread body makes the server close the connection, and a client that
     * pipelines its next request on it sees the connection vanish. A body already read (or refused) is not read again.
     */
    void discardUnreadBody() {
        if (!bodyAttempted) {
            try {
                body();
            } catch (MayflyException ignored) {
                // too large or unreadable: the connection closes, as it must
            }
        }
    }

    static Map<String, List<String>> decodeUrlEncoded(String encoded) {
        if (encoded == null || encoded.isEmpty()) {
            return Map.of();
        }
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String pair : encoded.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            try {
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                out.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            } catch (IllegalArgumentException e) {
                throw new MayflyException(ErrorCode.USAGE, "The request has a malformed percent-encoding.");
            }
        }
        return Collections.unmodifiableMap(out);
    }

    public void sendJson(int status, Object body, Map<String, String> headers) {
        send(status, "application/json", Json.writeBytes(redactResponses ? RedactedJson.of(body) : body), headers);
    }

    /** True when the request came over TLS (a console cookie is then {@code Secure}). */
    public boolean secure() {
        return request.isSecure();
    }

    /**
     * Every string of this request's JSON answer is masked by the scanner before it is sent: the console, which
     * shows what it reads to a person, asks for it so no secret reaches a page.
     */
    public void redactResponses() {
        this.redactResponses = true;
    }

    /** Adds a header that may repeat ({@code Set-Cookie}); sent with the response. */
    public void addHeader(String name, String value) {
        addedHeaders.add(Map.entry(name, value));
    }

    public void send(int status, String contentType, byte[] bytes, Map<String, String> headers) {
        head(status, contentType, headers);
        response.write(true, ByteBuffer.wrap(bytes), callback);
    }

    /** Status and headers, once per response: every response is uncacheable and names its request id. */
    private void head(int status, String contentType, Map<String, String> headers) {
        if (sent) {
            throw new IllegalStateException("response already sent");
        }
        sent = true;
        this.status = status;
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.getHeaders().put("X-Request-Id", context.requestId());
        headers.forEach((k, v) -> response.getHeaders().put(k, v));
        addedHeaders.forEach(h -> response.getHeaders().add(h.getKey(), h.getValue()));
    }

    /**
     * Starts a streamed response (server-sent events): headers now, body in {@link #writeChunk} calls,
     * ended by {@link #endStream}. Nothing is buffered: each chunk is on the wire when the call returns.
     */
    public void startStream(int status, String contentType, Map<String, String> headers) throws IOException {
        head(status, contentType, headers);
        write(false, new byte[0]);
    }

    /** Writes one chunk and waits until it is written; fails when the client has gone. */
    public void writeChunk(byte[] bytes) throws IOException {
        write(false, bytes);
    }

    /** Ends a streamed response; never throws (the client may already be gone). */
    public void endStream() {
        response.write(true, ByteBuffer.allocate(0), callback);
    }

    private void write(boolean last, byte[] bytes) throws IOException {
        FutureCallback done = new FutureCallback();
        response.write(last, ByteBuffer.wrap(bytes), done);
        try {
            done.get(STREAM_WRITE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while writing");
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("client stopped reading", e);
        }
    }

    public boolean sent() {
        return sent;
    }

    public int status() {
        return status;
    }
}
