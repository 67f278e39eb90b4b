package dev.mayfly.verifier;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyError;
import dev.mayfly.core.error.MayflyException;
import java.text.ParseException;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A JWK Set handed over as JSON by something in the same process. The supplier is asked on every lookup, so
 * a rotation shows at once; the document is parsed again only when its text changed (the same instance, or
 * equal text, reuses the last parse). Thread-safe: the parsed pair is replaced whole.
 */
final class InProcessJwksSource extends JwksSource {
    private record Parsed(String json, JWKSet keys) {
    }

    private final Supplier<String> jwkSetJson;
    private volatile Parsed last;

    InProcessJwksSource(Supplier<String> jwkSetJson) {
        this.jwkSetJson = jwkSetJson;
    }

    @Override
    Optional<JWK> key(String kid) {
        return Optional.ofNullable(current().getKeyByKeyId(kid)).map(JWK::toPublicJWK);
    }

    private JWKSet current() {
        String json = jwkSetJson.get();
        Parsed p = last;
        if (p != null && (p.json() == json || p.json().equals(json))) {
            return p.keys();
        }
        try {
            JWKSet keys = JWKSet.parse(json);
            last = new Parsed(json, keys);
            return keys;
        } catch (ParseException | RuntimeException e) {
            throw new MayflyException(MayflyError.builder(ErrorCode.UNAVAILABLE,
                    "The issuer's key set is not a readable JWK Set.").build());
        }
    }
}
