package dev.mayfly.core.secret;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RandomIdsTest {

    @ParameterizedTest
    @CsvSource({"agt_, 20", "ses_, 24", "tsk_, 16", "req_, 12", "'', 30", "x, 1"})
    void hasPrefixLengthAndBase62Alphabet(String prefix, int length) {
        for (int i = 0; i < 200; i++) {
            String id = RandomIds.next(prefix, length);
            assertThat(id).startsWith(prefix).hasSize(prefix.length() + length);
            assertThat(id.substring(prefix.length())).matches("[0-9A-Za-z]{" + length + "}");
            assertThat(id).doesNotStartWith("mfy_");
        }
    }

    @Test
    void zeroLengthIsJustThePrefix() {
        assertThat(RandomIds.next("req_", 0)).isEqualTo("req_");
    }

    @Test
    void randomPartCoversTheWholeAlphabetAndIdsAreUnique() {
        Set<Character> chars = new HashSet<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 5_000; i++) {
            String id = RandomIds.next("req_", 20);
            ids.add(id);
            for (char c : id.substring(4).toCharArray()) {
                chars.add(c);
            }
        }
        assertThat(ids).hasSize(5_000);
        assertThat(chars).hasSize(62);
    }

    @Test
    void neverLooksLikeAValidSecret() {
        for (int i = 0; i < 1_000; i++) {
            String id = RandomIds.next("", 45);
            assertThat(id).doesNotStartWith("mfy_").doesNotContain("_");
            assertThat(OpaqueSecret.isValid(id)).isFalse();
        }
    }

    @Test
    void refusesOrAvoidsASecretShapedPrefix() {
        for (String prefix : new String[] {"mfy_", "mfy_rt_", "mfy_cs_"}) {
            String id;
            try {
                id = RandomIds.next(prefix, 38);
            } catch (IllegalArgumentException refused) {
                continue;
            }
            assertThat(id).as(prefix).doesNotStartWith("mfy_");
        }
    }
}
