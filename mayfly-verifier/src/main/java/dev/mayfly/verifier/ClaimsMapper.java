package dev.mayfly.verifier;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.mayfly.core.policy.Tier;
import dev.mayfly.core.token.AccessTokenClaims;
import dev.mayfly.core.token.ClaimNames;
import dev.mayfly.core.token.Scopes;
import java.text.ParseException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps the claims of an authentic token to {@link AccessTokenClaims}: RFC 9068 §2.2 ({@code iss exp aud
 * sub client_id iat jti}, {@code scope} per RFC 8693 §4.2) plus Mayfly's {@code sid}, {@code task},
 * {@code tier} and the RFC 8693 §4.1 {@code act} object. {@code exp}, {@code jti}, {@code sub},
 * {@code sid} and {@code aud} are required; a claim of the wrong JSON type makes the token malformed.
 * Stateless.
 */
final class ClaimsMapper {
    private ClaimsMapper() {
    }

    static AccessTokenClaims map(JWTClaimsSet c) throws Rejection {
        try {
            Date exp = c.getExpirationTime();
            if (exp == null) {
                throw missing(ClaimNames.EXPIRES);
            }
            String jti = required(c.getJWTID(), ClaimNames.JWT_ID);
            String sub = required(c.getSubject(), ClaimNames.SUBJECT);
            String sid = required(c.getStringClaim(ClaimNames.SESSION), ClaimNames.SESSION);
            // RFC 9068 §2.2: aud is required, also where the verifier accepts any audience.
            if (c.getAudience().isEmpty()) {
                throw missing(ClaimNames.AUDIENCE);
            }
            String tier = c.getStringClaim(ClaimNames.TIER);
            Map<String, Object> act = c.getJSONObjectClaim(ClaimNames.ACTOR);
            String boundKey = boundKey(c.getJSONObjectClaim(ClaimNames.CONFIRMATION));
            return new AccessTokenClaims(
                    c.getIssuer(),
                    sub,
                    c.getAudience(),
                    exp.toInstant(),
                    instant(c.getIssueTime()),
                    instant(c.getNotBeforeTime()),
                    jti,
                    c.getStringClaim(ClaimNames.CLIENT_ID),
                    Scopes.parse(c.getStringClaim(ClaimNames.SCOPE)),
                    sid,
                    c.getStringClaim(ClaimNames.TASK),
                    tier == null ? null : Tier.parse(tier),
                    act == null ? null : actor(act),
                    boundKey);
        } catch (ParseException | RuntimeException e) {
            throw Reason.MALFORMED_CLAIMS.reject();
        }
    }

    /** RFC 9449 §6.1: {@code cnf.jkt}, a non-empty string, when the token is DPoP-bound; {@code null} otherwise. */
    private static String boundKey(Map<String, Object> cnf) {
        if (cnf == null) {
            return null;
        }
        Object jkt = cnf.get(ClaimNames.JWK_THUMBPRINT);
        if (!(jkt instanceof String) || ((String) jkt).isBlank()) {
            // A confirmation this verifier cannot check must not pass as no confirmation at all.
            throw new IllegalArgumentException("cnf without a jkt");
        }
        return (String) jkt;
    }

    private static String required(String value, String claim) throws Rejection {
        if (value == null || value.isBlank()) {
            throw missing(claim);
        }
        return value;
    }

    private static Rejection missing(String claim) {
        return Reason.MISSING_CLAIM.reject(
                Reason.MISSING_CLAIM.error("Access token lacks the required claim " + claim + ".")
                        .detail("missing_claim", claim));
    }

    private static Instant instant(Date d) {
        return d == null ? null : d.toInstant();
    }

    /** The {@code act} object, frozen; top-level {@code null} members are dropped (claims hold no nulls). */
    private static Map<String, Object> actor(Map<String, Object> act) {
        Map<String, Object> out = new LinkedHashMap<>();
        act.forEach((k, v) -> {
            if (v != null) {
                out.put(k, freeze(v));
            }
        });
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Object freeze(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            ((Map<String, Object>) m).forEach((k, x) -> out.put(k, freeze(x)));
            return Collections.unmodifiableMap(out);
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            l.forEach(x -> out.add(freeze(x)));
            return Collections.unmodifiableList(out);
        }
        return v;
    }
}
