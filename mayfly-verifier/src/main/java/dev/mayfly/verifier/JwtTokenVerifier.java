package dev.mayfly.verifier;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.mayfly.core.error.MayflyError;
import dev.mayfly.core.error.MayflyException;
import dev.mayfly.core.revocation.Revocation;
import dev.mayfly.core.revocation.RevocationSource;
import dev.mayfly.core.text.PlainWord;
import dev.mayfly.core.token.AccessTokenClaims;
import dev.mayfly.core.token.Scopes;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

/**
 * The verification pipeline behind {@link TokenVerifier} (RFC 9068 §4, RFC 8725 §3). Every step either
 * passes or throws a {@link Rejection} with a typed {@link Reason}; {@link #verify} turns that into a
 * {@link Decision}. Thread-safe.
 */
final class JwtTokenVerifier implements TokenVerifier {
    private final String issuer;
    private final List<String> audiences;
    private final boolean anyAudience;
    private final JwksSource jwks;
    private final Clock clock;
    private final Duration leeway;
    private final RevocationSource revocations;
    private final int maxTokenBytes;
    private final HeaderPolicy headerPolicy;
    private final VerifiedTokenCache cache;
    private final LongAdder signatureChecks = new LongAdder();
    private final DpopProofVerifier dpop;

    JwtTokenVerifier(TokenVerifier.Builder b) {
        this.issuer = b.issuer;
        this.audiences = List.copyOf(b.audiences);
        this.anyAudience = b.anyAudience;
        this.jwks = b.jwks;
        this.clock = b.clock;
        this.leeway = b.leeway;
        this.revocations = b.revocations;
        this.maxTokenBytes = b.maxTokenBytes;
        this.headerPolicy = new HeaderPolicy(b.algorithms);
        this.cache = new VerifiedTokenCache(b.verificationCacheSize, b.clock, b.leeway);
        this.dpop = b.dpop != null ? b.dpop : DpopProofVerifier.builder().clock(b.clock).build();
    }

    /** How the token was presented, which decides what its binding ({@code cnf.jkt}) must be checked against. */
    private interface Binding {
        void check(AccessTokenClaims claims) throws DpopRefusal;
    }

    /** A refusal of the presentation rather than the token: the error is complete, with its DPoP details. */
    private static final class DpopRefusal extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient MayflyError error;

        DpopRefusal(MayflyError error) {
            super(null, null, false, false);
            this.error = error;
        }
    }

    @Override
    public Decision verify(String token, Collection<String> requiredScopes) {
        // Bearer (RFC 6750): a DPoP-bound token is refused, or a stolen copy would work as a plain bearer token.
        return verify(token, requiredScopes, false, claims -> {
            if (claims.isDpopBound()) {
                throw new DpopRefusal(DpopTokens.tagged(DpopFailure.BOUND_AS_BEARER.error()).build());
            }
        });
    }

    @Override
    public Decision verify(String token, String proof, String method, String uri, Collection<String> requiredScopes) {
        return verify(token, requiredScopes, true, claims -> {
            if (!claims.isDpopBound()) {
                throw new DpopRefusal(DpopTokens.tagged(DpopFailure.NOT_BOUND.error()).build());
            }
            DpopProof checked;
            try {
                checked = dpop.verify(proof, method, uri, token);
            } catch (MayflyException e) {
                throw new DpopRefusal(DpopTokens.tagged(e.error().toBuilder()).build());
            }
            if (!checked.keyThumbprint().equals(claims.boundKey())) {
                throw new DpopRefusal(DpopTokens.tagged(DpopFailure.WRONG_KEY.error()).build());
            }
        });
    }

    @Override
    public Decision verifyIgnoringBinding(String token, Collection<String> requiredScopes) {
        return verify(token, requiredScopes, false, claims -> {
        });
    }

    /** The pipeline: authenticity, then the presentation's binding, then time, revocation and scopes. */
    private Decision verify(String token, Collection<String> requiredScopes, boolean dpopScheme, Binding binding) {
        AccessTokenClaims claims = null;
        try {
            claims = authenticate(token);
            binding.check(claims);
            Instant now = clock.instant();
            checkNotBefore(claims, now);
            checkIssuedInThePast(claims, now);
            checkNotRevoked(claims);
            checkNotExpired(claims, now);
            checkScopes(claims, requiredScopes);
            return Decision.allow(claims);
        } catch (Rejection r) {
            // Under the DPoP scheme every refusal is challenged with DPoP (RFC 9449 §7.1), an expiry included.
            MayflyError error = dpopScheme ? DpopTokens.tagged(r.error().toBuilder()).build() : r.error();
            return claims == null ? Decision.reject(error) : Decision.reject(error, claims);
        } catch (DpopRefusal r) {
            return Decision.reject(r.error, claims);
        }
    }

    /** Everything that does not depend on time: from the cache when this exact token verified before. */
    private AccessTokenClaims authenticate(String token) throws Rejection {
        if (token == null || token.isBlank()) {
            throw Reason.MISSING.reject();
        }
        // Length in chars bounds length in bytes from below; a non-ASCII token fails as malformed anyway.
        if (token.length() > maxTokenBytes) {
            throw Reason.OVERSIZED.reject();
        }
        VerifiedToken cached = cache.get(token);
        if (cached != null) {
            // A key the issuer stopped publishing stops vouching for the tokens it signed.
            if (cached.key().equals(findKey(cached.keyId()).orElse(null))) {
                return cached.claims();
            }
            cache.invalidate(token);
        }
        VerifiedToken verified = authenticateUncached(token);
        cache.put(token, verified);
        return verified.claims();
    }

    /** Splits and decodes the token once ({@link CompactJws}); the claims are read only from a verified payload. */
    private VerifiedToken authenticateUncached(String token) throws Rejection {
        CompactJws jws = CompactJws.parse(token);
        HeaderPolicy.CheckedHeader header = headerPolicy.check(jws.header());
        JWK key = findKey(header.keyId()).orElseThrow(Reason.UNKNOWN_KEY::reject);
        SignatureCheck signature = KeyFit.verifierFor(header.algorithm(), key);
        signatureChecks.increment();
        if (!signature.verify(jws.signingInput(), jws.signature())) {
            throw Reason.BAD_SIGNATURE.reject();
        }
        // Read as a map first, so the numeric dates can be checked as written (Nimbus turns them into
        // Dates, silently truncating fractions and overflowing huge values).
        Map<String, Object> raw = jws.payload();
        JWTClaimsSet claims;
        try {
            claims = JWTClaimsSet.parse(raw);
        } catch (ParseException | RuntimeException e) {
            throw Reason.MALFORMED_CLAIMS.reject();
        }
        checkIssuer(claims);
        checkAudience(claims);
        NumericDates.check(raw);
        return new VerifiedToken(ClaimsMapper.map(claims), header.keyId(), key);
    }

    private Optional<JWK> findKey(String kid) throws Rejection {
        try {
            return jwks.key(kid);
        } catch (MayflyException e) {
            throw Reason.KEYS_UNAVAILABLE.reject(Reason.KEYS_UNAVAILABLE.error(e.error().message()));
        } catch (RuntimeException e) {
            throw Reason.KEYS_UNAVAILABLE.reject();
        }
    }

    private void checkIssuer(JWTClaimsSet claims) throws Rejection {
        if (!issuer.equals(claims.getIssuer())) {
            throw Reason.WRONG_ISSUER.reject();
        }
    }

    /**
     * {@code mayfly token issue --scope S... --audience A}: the token's own scopes for the audience wanted, a
     * command that works when run verbatim ({@code --scope} is required), or none when the scopes cannot be
     * read or none is a plain word.
     */
    private static String reissueFor(JWTClaimsSet claims, String audience) {
        if (!PlainWord.isPlain(audience)) {
            return null;
        }
        StringBuilder command = new StringBuilder("mayfly token issue");
        try {
            String scope = claims.getStringClaim("scope");
            for (String s : scope == null ? new String[0] : scope.trim().split(" +")) {
                if (PlainWord.isPlain(s)) {
                    command.append(" --scope ").append(s);
                }
            }
        } catch (ParseException e) {
            return null;
        }
        return command.indexOf("--scope") < 0 ? null : command.append(" --audience ").append(audience).toString();
    }

    private void checkAudience(JWTClaimsSet claims) throws Rejection {
        if (anyAudience) {
            return;
        }
        List<String> aud;
        try {
            aud = claims.getAudience();
        } catch (RuntimeException e) {
            throw Reason.MALFORMED_CLAIMS.reject();
        }
        if (aud.stream().noneMatch(audiences::contains)) {
            String expected = audiences.get(0);
            throw Reason.WRONG_AUDIENCE.reject(Reason.WRONG_AUDIENCE.error()
                    .reauthCommand(reissueFor(claims, expected))
                    .detail("expected_audience", expected));
        }
    }

    private void checkNotBefore(AccessTokenClaims claims, Instant now) throws Rejection {
        if (claims.notBefore() != null && claims.notBefore().isAfter(now.plus(leeway))) {
            throw Reason.NOT_YET_VALID.reject();
        }
    }

    /** An {@code iat} in the future (beyond the leeway) is a clock or issuer fault, never a token to trust. */
    private void checkIssuedInThePast(AccessTokenClaims claims, Instant now) throws Rejection {
        if (claims.issuedAt() != null && claims.issuedAt().isAfter(now.plus(leeway))) {
            throw Reason.ISSUED_IN_THE_FUTURE.reject();
        }
    }

    private void checkNotRevoked(AccessTokenClaims claims) throws Rejection {
        Optional<Revocation> found;
        try {
            found = revocations.find(claims);
        } catch (RuntimeException e) {
            // Fail closed: a verifier that cannot tell whether a token was revoked does not accept it.
            throw Reason.REVOCATIONS_UNAVAILABLE.reject();
        }
        if (found.isPresent()) {
            throw RevocationRejections.of(found.get());
        }
    }

    private void checkNotExpired(AccessTokenClaims claims, Instant now) throws Rejection {
        Instant exp = claims.expiresAt();
        if (!exp.plus(leeway).isAfter(now)) {
            Instant at = exp.truncatedTo(ChronoUnit.SECONDS);
            MayflyError.Builder error = Reason.EXPIRED.error("Access token expired at " + at + ".").expiredAt(at);
            throw Reason.EXPIRED.reject(error);
        }
    }

    /** The pipeline's last step; also {@link Decision#requiring}'s, on claims verified before. */
    static void checkScopes(AccessTokenClaims claims, Collection<String> requiredScopes) throws Rejection {
        if (requiredScopes == null || requiredScopes.isEmpty()) {
            return;
        }
        List<String> required = List.copyOf(new LinkedHashSet<>(requiredScopes));
        List<String> missing = Scopes.missing(claims.scopes(), required);
        if (!missing.isEmpty()) {
            throw Reason.INSUFFICIENT_SCOPE.reject(Reason.INSUFFICIENT_SCOPE
                    .error("Access token lacks required scope: " + Scopes.join(missing) + ".")
                    .requiredScope(Scopes.join(required))
                    .missingScopes(missing));
        }
    }

    /** How many signatures this verifier has checked; the cache is working when this stays put. */
    long signatureChecks() {
        return signatureChecks.sum();
    }

    /** How many verified tokens the cache holds now. */
    long cachedTokens() {
        return cache.size();
    }
}
