package dev.mayfly.server;

import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;

/** Reads claims out of a token in tests (no verification: the broker is what is under test). */
final class SignedJwtClaims {
    private SignedJwtClaims() {
    }

    static long exp(String token) {
        try {
            return SignedJWT.parse(token).getJWTClaimsSet().getExpirationTime().toInstant().getEpochSecond();
        } catch (ParseException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static String jti(String token) {
        try {
            return SignedJWT.parse(token).getJWTClaimsSet().getJWTID();
        } catch (ParseException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static Object claim(String token, String name) {
        try {
            return SignedJWT.parse(token).getJWTClaimsSet().getClaim(name);
        } catch (ParseException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
