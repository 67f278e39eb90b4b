package dev.mayfly.core.secret;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Random;
import java.util.Set;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class OpaqueSecretTest {
    private static final String B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final String SHAPE = "mfy_(rt|cs|wh)_[0-9A-Za-z]{38}";

    // --- an implementation of the DESIGN §3.3 format written independently of the main code ---

    private static String base62Padded(long value, int width) {
        StringBuilder sb = new StringBuilder();
        long v = value;
        do {
            sb.insert(0, B62.charAt((int) (v % 62)));
            v /= 62;
        } while (v > 0);
        while (sb.length() < width) {
            sb.insert(0, '0');
        }
        return sb.toString();
    }

    private static String crc32Base62(String random) {
        CRC32 crc = new CRC32();
        crc.update(random.getBytes(StandardCharsets.US_ASCII));
        return base62Padded(crc.getValue(), 6);
    }

    private static String build(String tag, String random) {
        return "mfy_" + tag + "_" + random + crc32Base62(random);
    }

    private static String randomBody(Random rnd) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 32; i++) {
            sb.append(B62.charAt(rnd.nextInt(62)));
        }
        return sb.toString();
    }

    private static String sha256(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    // --- tests ---

    @Test
    void independentBase62MatchesKnownValues() {
        assertThat(base62Padded(0, 6)).isEqualTo("000000");
        assertThat(base62Padded(61, 6)).isEqualTo("00000z");
        assertThat(base62Padded(62, 6)).isEqualTo("000010");
        assertThat(base62Padded(0xFFFFFFFFL, 6)).isEqualTo("4gfFC3");
    }

    @ParameterizedTest
    @EnumSource(SecretKind.class)
    void generatedSecretHasTheDesignShapeAndParsesBack(SecretKind kind) {
        OpaqueSecret s = OpaqueSecret.generate(kind);
        String v = s.secret().reveal();

        assertThat(v).matches(SHAPE).startsWith(kind.prefix()).hasSize(OpaqueSecret.LENGTH).hasSize(45);
        assertThat(kind.prefix()).isEqualTo("mfy_" + kind.tag() + "_");
        assertThat(s.kind()).isEqualTo(kind);

        OpaqueSecret parsed = OpaqueSecret.parse(v).orElseThrow();
        assertThat(parsed.kind()).isEqualTo(kind);
        assertThat(parsed.secret().matches(s.secret())).isTrue();
        assertThat(OpaqueSecret.parse(v, kind)).isPresent();
        assertThat(OpaqueSecret.isValid(v)).isTrue();
    }

    @Test
    void tagsAreTheDesignOnes() {
        assertThat(SecretKind.REFRESH_TOKEN.tag()).isEqualTo("rt");
        assertThat(SecretKind.CLIENT_SECRET.tag()).isEqualTo("cs");
        assertThat(SecretKind.WEBHOOK_SECRET.tag()).isEqualTo("wh");
        assertThat(SecretKind.fromTag("rt")).contains(SecretKind.REFRESH_TOKEN);
        assertThat(SecretKind.fromTag("RT")).isEmpty();
        assertThat(SecretKind.fromTag("xx")).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(SecretKind.class)
    void checksumIsCrc32OfTheRandomPartInBase62PaddedToSix(SecretKind kind) {
        for (int i = 0; i < 200; i++) {
            String v = OpaqueSecret.generate(kind).secret().reveal();
            String random = v.substring(7, 39);
            String checksum = v.substring(39);
            assertThat(checksum).as(v).isEqualTo(crc32Base62(random));
        }
    }

    @Test
    void secretsBuiltIndependentlyAreAccepted() {
        Random rnd = new Random(20261122);
        for (int i = 0; i < 500; i++) {
            String tag = new String[] {"rt", "cs", "wh"}[i % 3];
            String v = build(tag, randomBody(rnd));
            assertThat(OpaqueSecret.parse(v)).as(v).isPresent();
        }
        // a body whose CRC32 is small exercises the left padding
        String zeros = "0".repeat(32);
        assertThat(OpaqueSecret.parse(build("rt", zeros))).isPresent();
    }

    @Test
    void checksumWithLeadingZerosIsPaddedNotShortened() {
        // search deterministically for a random part whose CRC32 is below 62^5, so its base62 form has a leading '0'
        Random rnd = new Random(7);
        String body;
        long crc;
        do {
            body = randomBody(rnd);
            CRC32 c = new CRC32();
            c.update(body.getBytes(StandardCharsets.US_ASCII));
            crc = c.getValue();
        } while (crc >= 916_132_832L); // 62^5
        String v = build("cs", body);
        assertThat(v.charAt(39)).isEqualTo('0');
        assertThat(OpaqueSecret.parse(v)).isPresent();
        // the unpadded (5-character) checksum must not be accepted
        assertThat(OpaqueSecret.parse(v.substring(0, 39) + v.substring(40))).isEmpty();
    }

    @Test
    void changingAnySingleCharacterMakesParseFail() {
        for (int n = 0; n < 5; n++) {
            String v = OpaqueSecret.generate(SecretKind.values()[n % 3]).secret().reveal();
            for (int pos = 0; pos < v.length(); pos++) {
                char original = v.charAt(pos);
                // every other base62 character at this position (and a few non-base62 ones)
                for (char c : (B62 + "_-+/=. ").toCharArray()) {
                    if (c == original) {
                        continue;
                    }
                    // changing the tag into another valid tag is a different kind, not a corruption
                    String changed = v.substring(0, pos) + c + v.substring(pos + 1);
                    if (pos >= 4 && pos <= 5 && SecretKind.fromTag(changed.substring(4, 6)).isPresent()) {
                        continue;
                    }
                    assertThat(OpaqueSecret.parse(changed)).as("%s with position %d -> '%s'", v, pos, c).isEmpty();
                }
            }
        }
    }

    @Test
    void swappingTheTagForAnotherKindStillParsesButNotAsTheExpectedKind() {
        String rt = OpaqueSecret.generate(SecretKind.REFRESH_TOKEN).secret().reveal();
        String asCs = "mfy_cs_" + rt.substring(7);
        assertThat(OpaqueSecret.parse(asCs)).map(OpaqueSecret::kind).contains(SecretKind.CLIENT_SECRET);
        assertThat(OpaqueSecret.parse(asCs, SecretKind.REFRESH_TOKEN)).isEmpty();
    }

    @Test
    void parseWithKindEnforcesTheKind() {
        for (SecretKind k : SecretKind.values()) {
            String v = OpaqueSecret.generate(k).secret().reveal();
            for (SecretKind expected : SecretKind.values()) {
                assertThat(OpaqueSecret.parse(v, expected).isPresent()).as("%s as %s", k, expected)
                        .isEqualTo(k == expected);
            }
        }
    }

    @Test
    void wrongLengthFails() {
        String v = OpaqueSecret.generate(SecretKind.REFRESH_TOKEN).secret().reveal();
        assertThat(OpaqueSecret.parse(v.substring(0, 44))).isEmpty();
        assertThat(OpaqueSecret.parse(v + "0")).isEmpty();
        assertThat(OpaqueSecret.parse(v + " ")).isEmpty();
        assertThat(OpaqueSecret.parse(" " + v)).isEmpty();
        // a 33-char random part with a matching checksum is still the wrong shape
        String body33 = "A".repeat(33);
        assertThat(OpaqueSecret.parse("mfy_rt_" + body33 + crc32Base62(body33))).isEmpty();
        String body31 = "A".repeat(31);
        assertThat(OpaqueSecret.parse("mfy_rt_" + body31 + crc32Base62(body31))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"mfx_", "MFY_", "mfy-", "mfy.", "xfy_", "mf_y"})
    void wrongPrefixFails(String prefix) {
        String body = "0123456789abcdefghijABCDEFGHIJkl";
        String v = prefix + "rt_" + body + crc32Base62(body);
        assertThat(v).hasSize(45);
        assertThat(OpaqueSecret.parse(v)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"xx", "RT", "Rt", "ak", "ghp", "r_", "_t"})
    void unknownKindTagFails(String tag) {
        String body = "0123456789abcdefghijABCDEFGHIJkl";
        String v = "mfy_" + tag + "_" + body + crc32Base62(body);
        assertThat(OpaqueSecret.parse(v)).isEmpty();
    }

    @Test
    void wrongSeparatorAfterTheTagFails() {
        String body = "0123456789abcdefghijABCDEFGHIJkl";
        String v = "mfy_rt-" + body + crc32Base62(body);
        assertThat(v).hasSize(45);
        assertThat(OpaqueSecret.parse(v)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(chars = {'-', '_', '+', '/', '=', ' ', '.', 'é', '\u0000', '٣'})
    void nonBase62CharacterFailsEvenWithAMatchingChecksum(char bad) {
        String random = "0123456789abcdef" + bad + "hijABCDEFGHIJkl";
        assertThat(random).hasSize(32);
        CRC32 crc = new CRC32();
        crc.update(random.getBytes(StandardCharsets.UTF_8));
        String v = "mfy_wh_" + random + base62Padded(crc.getValue(), 6);
        assertThat(OpaqueSecret.parse(v)).isEmpty();
        // and in the checksum part
        String good = "0123456789abcdefghijABCDEFGHIJkl";
        String w = "mfy_wh_" + good + crc32Base62(good).substring(0, 5) + bad;
        assertThat(OpaqueSecret.parse(w)).isEmpty();
    }

    @Test
    void nullAndEmptyFail() {
        assertThat(OpaqueSecret.parse(null)).isEmpty();
        assertThat(OpaqueSecret.parse("")).isEmpty();
        assertThat(OpaqueSecret.isValid("mfy_rt_")).isFalse();
        assertThat(OpaqueSecret.parse(null, SecretKind.REFRESH_TOKEN)).isEmpty();
    }

    @Test
    void toStringNeverContainsTheValue() {
        for (SecretKind k : SecretKind.values()) {
            OpaqueSecret s = OpaqueSecret.generate(k);
            String v = s.secret().reveal();
            String body = v.substring(7);
            assertThat(s.toString()).doesNotContain(v).doesNotContain(body).doesNotContain(body.substring(0, 8))
                    .doesNotContain(body.substring(32));
            assertThat(s.secret().toString()).doesNotContain(v).doesNotContain(body.substring(0, 8));
            assertThat(String.valueOf(s.secret())).isEqualTo("Secret[redacted]");
        }
        assertThat(Secret.of("hunter2").toString()).doesNotContain("hunter2");
        assertThat("" + Secret.of("hunter2")).doesNotContain("hunter2");
    }

    @Test
    void hashIsAnIndependentSha256OfTheFullValue() throws Exception {
        OpaqueSecret s = OpaqueSecret.generate(SecretKind.CLIENT_SECRET);
        String v = s.secret().reveal();
        assertThat(s.hash()).isEqualTo(sha256(v)).hasSize(64).matches("[0-9a-f]{64}");
        assertThat(OpaqueSecret.parse(v).orElseThrow().hash()).isEqualTo(s.hash());
    }

    @Test
    void generationIsUniqueOver10k() {
        Set<String> seen = new HashSet<>();
        Set<String> randomParts = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String v = OpaqueSecret.generate(SecretKind.REFRESH_TOKEN).secret().reveal();
            seen.add(v);
            randomParts.add(v.substring(7, 39));
        }
        assertThat(seen).hasSize(10_000);
        assertThat(randomParts).hasSize(10_000);
    }

    @Test
    void generatedRandomPartUsesTheWholeAlphabet() {
        Set<Character> chars = new HashSet<>();
        for (int i = 0; i < 2_000; i++) {
            String v = OpaqueSecret.generate(SecretKind.WEBHOOK_SECRET).secret().reveal();
            for (char c : v.substring(7, 39).toCharArray()) {
                chars.add(c);
            }
        }
        assertThat(chars).hasSize(62);
    }
}
