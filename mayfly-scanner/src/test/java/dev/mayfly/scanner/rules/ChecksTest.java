package dev.mayfly.scanner.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mayfly.core.secret.OpaqueSecret;
import dev.mayfly.core.secret.SecretKind;
import dev.mayfly.scanner.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The validators behind the built-in rules. */
class ChecksTest {
    @Test
    void github_checksum_matches_the_published_scheme() {
        String token = Fixtures.github("ghp_", 1);

        assertThat(GithubChecksum.valid(token)).isTrue();
        assertThat(GithubChecksum.checksum(token.substring(4, 34))).isEqualTo(token.substring(34));
        assertThat(GithubChecksum.valid(Fixtures.githubBadChecksum("ghp_", 1))).isFalse();
        assertThat(GithubChecksum.valid(token.substring(0, 39))).isFalse();
    }

    @Test
    void mayfly_formats_use_cores_checksum() {
        String generated = OpaqueSecret.generate(SecretKind.WEBHOOK_SECRET).secret().reveal();

        assertThat(MayflyFormats.isOpaqueSecret(generated)).isTrue();
        assertThat(MayflyFormats.isOpaqueSecret(Fixtures.mayfly(SecretKind.REFRESH_TOKEN, 5))).isTrue();
        assertThat(MayflyFormats.isOpaqueSecret(Fixtures.mayflyBadChecksum(SecretKind.REFRESH_TOKEN, 5))).isFalse();
        assertThat(MayflyFormats.isMayfly(Fixtures.mayflyJwt("https://m.example", 1), null)).isTrue();
        assertThat(MayflyFormats.isMayfly(Fixtures.mayflyJwt("https://m.example", 1), "https://m.example/")).isTrue();
        assertThat(MayflyFormats.isMayfly(Fixtures.mayflyJwt("https://m.example", 1), "https://other")).isFalse();
    }

    @Test
    void jwt_structure() {
        String hmac = Fixtures.jwt("{\"alg\":\"HS256\"}", "{\"sub\":\"x\"}", 32, 1);
        String noAlg = Fixtures.jwt("{\"typ\":\"JWT\"}", "{\"sub\":\"x\"}", 32, 1);
        String arrayPayload = Fixtures.jwt("{\"alg\":\"HS256\"}", "[1,2]", 32, 1);
        String appTyp = Fixtures.jwt("{\"alg\":\"RS256\",\"typ\":\"application/at+jwt\"}", "{\"iss\":\"https://m\"}", 256, 1);

        assertThat(JwtInspector.parse(hmac)).isPresent();
        assertThat(JwtInspector.parse(noAlg)).isEmpty();
        assertThat(JwtInspector.parse(arrayPayload)).isEmpty();
        assertThat(JwtInspector.parse(hmac + ".extra")).isEmpty();
        assertThat(JwtInspector.isMayfly(JwtInspector.parse(appTyp).orElseThrow(), null)).isTrue();
        assertThat(JwtInspector.isMayfly(JwtInspector.parse(hmac).orElseThrow(), null)).isFalse();
    }

    @Test
    void pem_bodies() {
        PemBody pem = new PemBody();
        String pkcs8 = Fixtures.pem("PRIVATE KEY", Fixtures.derSequence(1214, 1));
        String sec1 = Fixtures.pem("EC PRIVATE KEY", Fixtures.derSequence(0x77, 2));
        String encrypted = "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,0011\n\n"
                + Fixtures.pem("X", Fixtures.derSequence(1200, 3)).split("\n", 2)[1].replace("-----END X-----", "")
                + "-----END RSA PRIVATE KEY-----";

        assertThat(pkcs8.split("\n")[1]).startsWith("MII");
        assertThat(sec1.split("\n")[1]).startsWith("MHc");
        assertThat(pem.accepts(Candidate.of(pkcs8))).isTrue();
        assertThat(pem.accepts(Candidate.of(sec1))).isTrue();
        assertThat(pem.accepts(Candidate.of(encrypted))).isTrue();
        assertThat(pem.accepts(Candidate.of(Fixtures.pem("OPENSSH PRIVATE KEY", Fixtures.opensshKey(4))))).isTrue();
        assertThat(pem.accepts(Candidate.of(Fixtures.pem("OPENSSH PRIVATE KEY", Fixtures.derSequence(400, 5))))).isFalse();
        assertThat(pem.accepts(Candidate.of(pkcs8.replace("PRIVATE KEY-----\n", "PRIVATE KEY-----\\n")))).isFalse();
        assertThat(pem.accepts(Candidate.of(pkcs8.replace("END PRIVATE", "END RSA PRIVATE")))).isFalse();
        assertThat(PemBody.isDerSequence(new byte[] {0x30, 0x03, 1, 2})).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"AKIAIOSFODNN7EXAMPLE", "xxxxxxxxxxxxxxxx", "${TOKEN}", "{{ token }}", "<your-token>",
        "changeme123", "your_api_key_here", "****************", "0123456789abcdef", "aaaaaaaa", "REDACTED-value",
        "dummy-secret-1"})
    void placeholders(String value) {
        assertThat(Placeholders.looksLikePlaceholder(value)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Zq3Xw9Rt5Yu7Io1Pa2Sd4Fg6", "Tr0ub4dor&3x", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzLq9a2Vb1"})
    void not_placeholders(String value) {
        assertThat(Placeholders.looksLikePlaceholder(value)).isFalse();
    }

    @Test
    void shannon_entropy() {
        assertThat(Shannon.entropy("")).isZero();
        assertThat(Shannon.entropy("aaaa")).isZero();
        assertThat(Shannon.entropy("abcd")).isEqualTo(2.0);
        assertThat(Shannon.entropy(Fixtures.hex("SHA-1", "x"))).isLessThanOrEqualTo(4.0);
    }

    @Test
    void generic_assignment_key_names() {
        GenericAssignment g = new GenericAssignment();
        String sha1 = Fixtures.hex("SHA-1", "y");

        assertThat(g.accepts(Candidate.of(sha1, "cache_key=" + sha1, "", null, null))).isFalse();
        assertThat(g.accepts(Candidate.of(sha1, "client_secret=" + sha1, "", null, null))).isTrue();
        assertThat(g.accepts(Candidate.of("Zq3Xw9Rt5Yu7", "nextPageToken: Zq3Xw9Rt5Yu7", "", null, null))).isFalse();
        assertThat(g.accepts(Candidate.of("Zq3Xw9Rt5Yu7", "apiToken: Zq3Xw9Rt5Yu7", "", null, null))).isTrue();
        assertThat(GenericAssignment.keyOf("\"db_password\": \"x1y2z3w4\"", "x1y2z3w4")).isEqualTo("\"db_password");
        assertThat(GenericAssignment.namesMetadata("tokenExpiresIn")).isTrue();
        assertThat(GenericAssignment.namesMetadata("shared_secret")).isFalse();
    }

    @Test
    void visible_prefixes() {
        assertThat(SecretPrefixes.visiblePrefix(Fixtures.mayfly(SecretKind.CLIENT_SECRET, 1))).isEqualTo("mfy_cs_");
        assertThat(SecretPrefixes.visiblePrefix("sk-ant-api03-abc")).isEqualTo("sk-ant-api03-");
        assertThat(SecretPrefixes.visiblePrefix("hunter2hunter2")).isEmpty();
        assertThat(SecretPrefixes.visiblePrefix("ghp_")).isEmpty();
    }
}
