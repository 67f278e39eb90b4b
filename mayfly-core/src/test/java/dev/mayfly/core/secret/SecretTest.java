package dev.mayfly.core.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class SecretTest {

    private static String sha256(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void sha256HexMatchesKnownVectorsAndAnIndependentDigest() throws Exception {
        assertThat(Secret.sha256Hex("abc"))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(Secret.of("").sha256Hex())
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        String unicode = "pässwörd-🔑";
        assertThat(Secret.of(unicode).sha256Hex()).isEqualTo(sha256(unicode));
        assertThat(Secret.of("mfy_rt_x").sha256Hex()).isEqualTo(Secret.sha256Hex("mfy_rt_x"));
    }

    @Test
    void matchesComparesWholeValues() {
        Secret a = Secret.of("mfy_rt_abc");
        assertThat(a.matches(Secret.of("mfy_rt_abc"))).isTrue();
        assertThat(a.matches(Secret.of("mfy_rt_abd"))).isFalse();
        assertThat(a.matches(Secret.of("mfy_rt_ab"))).isFalse();
        assertThat(a.matches(Secret.of("mfy_rt_abcd"))).isFalse();
        assertThat(a.matches(Secret.of("MFY_RT_ABC"))).isFalse();
        assertThat(a.matches(Secret.of(""))).isFalse();
        assertThat(a.matches(null)).isFalse();
        assertThat(Secret.of("").matches(Secret.of(""))).isTrue();
    }

    @Test
    void equalsAndHashCodeAgreeWithMatches() {
        Secret a = Secret.of("s3cret");
        Secret b = Secret.of("s3cret");
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a).isNotEqualTo(Secret.of("s3cre7"));
        assertThat(a).isNotEqualTo("s3cret");
    }

    @Test
    void revealAndIsEmpty() {
        assertThat(Secret.of("v").reveal()).isEqualTo("v");
        assertThat(Secret.of("").isEmpty()).isTrue();
        assertThat(Secret.of(" ").isEmpty()).isFalse();
        assertThatThrownBy(() -> Secret.of(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void toStringIsRedacted() {
        Secret s = Secret.of("mfy_rt_supersecretvalue");
        assertThat(s.toString()).isEqualTo("Secret[redacted]").doesNotContain("supersecret");
        assertThat(String.format("token=%s", s)).doesNotContain("supersecret");
    }
}
