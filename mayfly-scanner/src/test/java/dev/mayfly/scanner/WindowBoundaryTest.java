package dev.mayfly.scanner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mayfly.core.secret.SecretKind;
import dev.mayfly.scanner.rules.BuiltinRules;
import org.junit.jupiter.api.Test;

/**
 * Windows overlap so that a secret across a window boundary is seen whole, and each window reports only
 * the secrets that start in the part it owns: every secret is found exactly once wherever it falls.
 */
class WindowBoundaryTest {
    private static final int CHUNK = 1024;
    private static final String RT = Fixtures.mayfly(SecretKind.REFRESH_TOKEN, 7);

    private final SecretScanner scanner = SecretScanner.builder().chunkSize(CHUNK).build();
    private final int overlap = new CompiledRules(BuiltinRules.all()).overlap;

    /** Input offsets where one window's owned part ends and the next one's begins. */
    private int boundary(int k) {
        return CHUNK + overlap + k * CHUNK;
    }

    @Test
    void a_secret_straddling_a_boundary_at_every_position_is_found_once() {
        int boundary = boundary(3);
        for (int shift = 0; shift <= RT.length(); shift++) {
            int at = boundary - shift;
            String text = filler(at) + RT + "\n" + filler(boundary(8) - at);

            ScanResult result = scanner.scan(text, "x");

            assertThat(result.findings()).as("secret at %d, %d chars before the boundary", at, shift)
                    .singleElement().satisfies(f -> {
                        assertThat(f.offset()).isEqualTo(at);
                        assertThat(f.line()).isEqualTo(at / 100 + 1);
                        assertThat(f.column()).isEqualTo(at % 100 + 1);
                    });
        }
    }

    @Test
    void a_json_escaped_secret_straddling_a_boundary_is_found_once() {
        String escaped = "\\u006d" + RT.substring(1);
        int boundary = boundary(2);
        for (int shift = 0; shift <= escaped.length(); shift += 3) {
            int at = boundary - shift;
            String text = filler(at) + escaped + "\n" + filler(boundary(6) - at);

            ScanResult result = scanner.scan(text, "x");

            assertThat(result.findings()).as("shift %d", shift).singleElement().satisfies(f -> {
                assertThat(f.offset()).isEqualTo(at);
                assertThat(f.decodedFrom()).containsExactly(Decoding.JSON_STRING);
            });
        }
    }

    @Test
    void many_secrets_across_many_windows_are_each_found_once() {
        StringBuilder text = new StringBuilder();
        int planted = 0;
        for (int i = 0; text.length() < boundary(40); i++) {
            text.append(filler(97 + i % 131));
            text.append(Fixtures.mayfly(SecretKind.CLIENT_SECRET, i)).append(' ');
            planted++;
        }

        ScanResult result = scanner.scan(text, "x");

        assertThat(result.findings()).hasSize(planted);
        assertThat(result.findings()).extracting(Finding::offset).doesNotHaveDuplicates();
    }

    /** Lines of 99 characters plus a newline, cut to {@code n} characters. */
    static String filler(int n) {
        StringBuilder sb = new StringBuilder(n + 100);
        while (sb.length() < n) {
            sb.append(sb.length() % 100 == 99 ? '\n' : (char) ('a' + sb.length() % 7));
        }
        sb.setLength(n);
        return sb.toString();
    }
}
