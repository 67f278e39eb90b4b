package dev.mayfly.server.oauth;

import dev.mayfly.core.error.MayflyError;
import dev.mayfly.core.error.MayflyException;

/**
 * A failure at an OAuth endpoint: the RFC 6749 §5.2 {@code error} code (or RFC 8693/8707's) beside the
 * catalog error that tells an agent what to do.
 */
public final class OAuthException extends MayflyException {
    private static final long serialVersionUID = 1L;

    private final String oauthError;

    public OAuthException(String oauthError, MayflyError error) {
        super(error);
        this.oauthError = oauthError;
    }

    public String oauthError() {
        return oauthError;
    }

    /** The HTTP status RFC 6749 §5.2 gives this error: 401 for a failed client authentication, else 400. */
    public int httpStatus() {
        return OAuthErrors.statusOf(oauthError, error());
    }
}
