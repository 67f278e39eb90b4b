package dev.mayfly.core.error;

/**
 * The error catalog (DESIGN §3.1): one code per way an operation can fail, each with the CLI exit code,
 * the HTTP status, whether retrying can help, and the RFC 6750 {@code error} attribute of the
 * {@code WWW-Authenticate} challenge where one applies.
 *
 * <p>Exit codes 0–10 follow the agent-CLI convention; 11 and 12 are Mayfly's extensions. The server,
 * the verifier, the client and the CLI all map failures through this one enum.
 */
public enum ErrorCode {
    CREDENTIALS_EXPIRED(10, 401, true, true, "invalid_token",
            "authentic token past exp (plus leeway), or the session past its lifetime"),
    CREDENTIALS_REVOKED(11, 401, false, true, "invalid_token",
            "token, session, task or agent revoked (leak, logout, admin, refresh-token reuse)"),
    CREDENTIALS_INVALID(11, 401, false, true, "invalid_token",
            "malformed, bad signature, unknown key, wrong issuer or audience, not yet valid"),
    // RFC 6750 §3.1: a request that carried no credential gets a challenge without an error code.
    CREDENTIALS_MISSING(4, 401, false, true, null, "no credential presented / not logged in"),
    PERMISSION_DENIED(8, 403, false, true, "insufficient_scope",
            "valid credential, insufficient scope, audience or tier: permanent"),
    RATE_LIMITED(9, 429, true, false, null, "too many requests"),
    UNAVAILABLE(12, 503, true, false, null, "broker, database or feed unreachable"),
    TIMEOUT(7, 504, true, false, null, "an operation ran past its deadline"),
    USAGE(2, 400, false, false, "invalid_request", "bad arguments or request body"),
    PRECONDITION(4, 412, false, false, null, "not initialised, missing config, input needed without a TTY"),
    NOT_FOUND(5, 404, false, false, null, "no such object"),
    CONFLICT(6, 409, false, false, null, "the object exists or changed concurrently"),
    PARTIAL_FAILURE(3, 500, false, false, null, "started and failed mid-way"),
    INTERNAL(1, 500, false, false, null, "a bug; never a stack trace in the body");

    /** The environment variable through which a fresh credential can be handed to an agent. */
    public static final String REAUTH_ENV_VAR = "MAYFLY_TOKEN";

    private final int exitCode;
    private final int httpStatus;
    private final boolean retryable;
    private final boolean auth;
    private final String bearerError;
    private final String meaning;

    ErrorCode(int exitCode, int httpStatus, boolean retryable, boolean auth, String bearerError, String meaning) {
        this.exitCode = exitCode;
        this.httpStatus = httpStatus;
        this.retryable = retryable;
        this.auth = auth;
        this.bearerError = bearerError;
        this.meaning = meaning;
    }

    public int exitCode() {
        return exitCode;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public boolean retryable() {
        return retryable;
    }

    /** The RFC 6750 {@code error} attribute for this code, or {@code null} when none applies. */
    public String bearerError() {
        return bearerError;
    }

    public String meaning() {
        return meaning;
    }

    /**
     * True for the five auth outcomes, which always carry {@code reauth_command} and {@code reauth_env_var}.
     * Declared per constant, not by position, so reordering the catalog cannot change it.
     */
    public boolean isAuth() {
        return auth;
    }
}
