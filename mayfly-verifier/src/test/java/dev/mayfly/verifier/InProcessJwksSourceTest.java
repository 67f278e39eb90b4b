package dev.mayfly.verifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.JWKSet;
import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyException;
import dev.mayfly.verifier.fixtures.TestKeys;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** A JWK Set handed over as JSON in-process: rotations show at once, private parts never leave, garbage is UNAVAILABLE. */
class InProcessJwksSourceTest {

    @Test
    void aRotationShowsOnTheNextLookup() {
        AtomicReference<String> json = new AtomicReference<>(TestKeys.published(TestKeys.ED25519).toString());
        JwksSource source = JwksSource.ofJson(json::get);
        assertThat(source.key(TestKeys.ED25519.getKeyID())).isPresent();
        assertThat(source.key(TestKeys.RSA.getKeyID())).isEmpty();
        json.set(TestKeys.published(TestKeys.RSA).toString());
        assertThat(source.key(TestKeys.RSA.getKeyID())).isPresent();
        assertThat(source.key(TestKeys.ED25519.getKeyID())).isEmpty();
    }

    @Test
    void privatePartsInTheDocumentAreNeverHandedOut() {
        String withPrivate = new JWKSet(TestKeys.ED25519).toString(false);
        assertThat(withPrivate).contains("\"d\"");
        JwksSource source = JwksSource.ofJson(() -> withPrivate);
        assertThat(source.key(TestKeys.ED25519.getKeyID())).hasValueSatisfying(k -> assertThat(k.isPrivate()).isFalse());
    }

    @Test
    void anUnreadableDocumentIsUnavailableNotAnEmptySet() {
        JwksSource source = JwksSource.ofJson(() -> "{\"keys\": not json");
        assertThatThrownBy(() -> source.key("any")).isInstanceOfSatisfying(MayflyException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE));
    }
}
