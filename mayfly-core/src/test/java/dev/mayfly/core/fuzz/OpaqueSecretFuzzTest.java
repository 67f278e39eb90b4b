package dev.mayfly.core.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mayfly.core.secret.OpaqueSecret;
import dev.mayfly.core.secret.SecretKind;
import java.util.Optional;

/**
 * Fuzzes the opaque-secret format ({@code mfy_<kind>_<32 base62><6 base62 CRC32>}, DESIGN §3.3). Properties:
 * parsing never throws; whatever parses is exactly {@value OpaqueSecret#LENGTH} characters of the format,
 * keeps its text, and parses again to the same kind; and a one-character change to a valid secret is
 * caught by the checksum or the format.
 */
class OpaqueSecretFuzzTest {

    @FuzzTest(maxDuration = "5m")
    void parsing(FuzzedDataProvider data) {
        String presented = data.consumeRemainingAsString();
        Optional<OpaqueSecret> parsed = OpaqueSecret.parse(presented);
        assertThat(OpaqueSecret.isValid(presented)).isEqualTo(parsed.isPresent());
        parsed.ifPresent(s -> {
            assertThat(presented).hasSize(OpaqueSecret.LENGTH).matches("mfy_(rt|cs|wh)_[0-9A-Za-z]{38}");
            assertThat(s.secret().reveal()).isEqualTo(presented);
            assertThat(s.toString()).doesNotContain(presented.substring(7));
            assertThat(OpaqueSecret.parse(presented, s.kind())).isPresent();
        });
    }

    @FuzzTest(maxDuration = "5m")
    void aChangedCharacterIsCaught(FuzzedDataProvider data) {
        SecretKind kind = data.pickValue(SecretKind.values());
        OpaqueSecret genuine = OpaqueSecret.generate(kind);
        String text = genuine.secret().reveal();
        int at = data.consumeInt(7, text.length() - 1);
        char replacement = data.consumeChar();
        if (replacement == text.charAt(at)) {
            return;
        }
        String changed = text.substring(0, at) + replacement + text.substring(at + 1);
        // CRC32 catches every single-character change of the random part; a changed checksum character
        // no longer matches it.
        assertThat(OpaqueSecret.parse(changed)).as("%s position %d", kind, at).isEmpty();
    }
}
