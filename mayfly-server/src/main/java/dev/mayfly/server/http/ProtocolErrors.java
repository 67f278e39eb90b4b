package dev.mayfly.server.http;

import dev.mayfly.core.envelope.Envelope;
import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyError;
import dev.mayfly.core.json.Json;
import dev.mayfly.core.http.RequestIds;
import java.nio.ByteBuffer;
import java.util.Locale;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Requests Jetty refuses before any route sees them (headers over the size limit, a malformed request line,
 * a URI too long, an HTTP version it does not speak) are answered in the envelope too, not with Jetty's HTML
 * page: a 4xx is {@code USAGE} with Jetty's status kept (431, 414, 426, 400: proxies and clients know them);
 * Jetty's 505 for an unknown HTTP version is the client's doing too, so it becomes 400 {@code USAGE}; anything
 * else is {@code INTERNAL}.
 */
public final class ProtocolErrors extends ErrorHandler {
    private final int maxRequestHeaderBytes;

    public ProtocolErrors(int maxRequestHeaderBytes) {
        this.maxRequestHeaderBytes = maxRequestHeaderBytes;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        Object s = request.getAttribute(ERROR_STATUS);
        int status = clientStatus(s instanceof Integer i ? i : response.getStatus());
        Object m = request.getAttribute(ERROR_MESSAGE);
        byte[] body = body(status, m instanceof String str ? str : null);
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.write(true, ByteBuffer.wrap(body), callback);
        return true;
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, "application/json");
        fields.put(HttpHeader.CACHE_CONTROL, "no-store");
        return ByteBuffer.wrap(body(status, reason));
    }

    /** A version the broker does not speak is a bad request, not a server failure. */
    private static int clientStatus(int status) {
        return status == HttpStatus.HTTP_VERSION_NOT_SUPPORTED_505 ? HttpStatus.BAD_REQUEST_400 : status;
    }

    private byte[] body(int jettyStatus, String reason) {
        int status = clientStatus(jettyStatus);
        MayflyError error = HttpStatus.isClientError(status)
                ? MayflyError.of(ErrorCode.USAGE, message(jettyStatus, reason))
                : MayflyError.of(ErrorCode.INTERNAL, "The request could not be processed.");
        return Json.writeBytes(Envelope.failure(error, new Envelope.Meta(0, RequestIds.generate())));
    }

    private String message(int status, String reason) {
        // Jetty's "Unknown Version" comes as a plain 400: it gets the version message too.
        boolean version = reason != null && reason.toLowerCase(Locale.ROOT).contains("version");
        return switch (version ? HttpStatus.HTTP_VERSION_NOT_SUPPORTED_505 : status) {
            case HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE_431 ->
                    "The request headers are larger than " + maxRequestHeaderBytes + " bytes.";
            case HttpStatus.URI_TOO_LONG_414 -> "The request URI is too long.";
            case HttpStatus.HTTP_VERSION_NOT_SUPPORTED_505, HttpStatus.UPGRADE_REQUIRED_426 ->
                    "The HTTP version is not supported; the broker speaks HTTP/1.1 (and HTTP/1.0).";
            case HttpStatus.PAYLOAD_TOO_LARGE_413 ->
                    "The request body is larger than " + HttpExchange.MAX_BODY_BYTES + " bytes.";
            // Jetty's reason is not repeated: it may quote the offending bytes, which could be a credential.
            default -> "The request is malformed (HTTP " + status + ").";
        };
    }
}
