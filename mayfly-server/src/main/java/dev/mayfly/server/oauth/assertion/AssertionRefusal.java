package dev.mayfly.server.oauth.assertion;

import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyError;
import dev.mayfly.server.oauth.OAuthException;

/**
 * A client assertion that failed one check: {@code invalid_client} (RFC 7523 §3.2, RFC 6749 §5.2) carrying
 * {@code CREDENTIALS_INVALID} and a message naming the check. Messages never quote the assertion or its claims:
 * a JWT in an error body ends up in logs.
 */
final class AssertionRefusal {
    private AssertionRefusal() {
    }

    static OAuthException because(String check) {
        return new OAuthException("invalid_client", MayflyError.builder(ErrorCode.CREDENTIALS_INVALID,
                        "Client assertion refused: " + check + ".")
                .reauthCommand("mayfly auth login")
                .build());
    }
}
