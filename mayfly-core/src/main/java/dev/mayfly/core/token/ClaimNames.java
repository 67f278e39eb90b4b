package dev.mayfly.core.token;

/** Claim and header names of Mayfly access tokens (RFC 9068 plus Mayfly's {@code sid}, {@code task}, {@code tier}). */
public final class ClaimNames {
    public static final String TYPE = "at+jwt";
    public static final String ISSUER = "iss";
    public static final String SUBJECT = "sub";
    public static final String AUDIENCE = "aud";
    public static final String EXPIRES = "exp";
    public static final String ISSUED_AT = "iat";
    public static final String NOT_BEFORE = "nbf";
    public static final String JWT_ID = "jti";
    public static final String CLIENT_ID = "client_id";
    public static final String SCOPE = "scope";
    public static final String SESSION = "sid";
    public static final String TASK = "task";
    public static final String TIER = "tier";
    public static final String ACTOR = "act";
    /** RFC 7800 confirmation; Mayfly puts only RFC 9449 §6.1's {@code jkt} in it. */
    public static final String CONFIRMATION = "cnf";
    /** RFC 9449 §6.1: the RFC 7638 SHA-256 thumbprint of the DPoP key a token is bound to. */
    public static final String JWK_THUMBPRINT = "jkt";

    private ClaimNames() {
    }
}
