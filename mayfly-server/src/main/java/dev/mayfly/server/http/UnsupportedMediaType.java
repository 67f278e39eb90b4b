package dev.mayfly.server.http;

import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyException;

/**
 * A body of a media type the endpoint does not read: a {@code USAGE} error sent with status 415 (RFC 9110
 * §15.5.16) rather than the catalog's 400, as proxies and HTTP clients know what 415 means.
 */
public final class UnsupportedMediaType extends MayflyException {
    private static final long serialVersionUID = 1L;
    public static final int STATUS = 415;

    public UnsupportedMediaType(String message) {
        super(ErrorCode.USAGE, message);
    }
}
