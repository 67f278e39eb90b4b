package dev.mayfly.core.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AsciiDecimalTest {
    @ParameterizedTest
    @ValueSource(strings = {"0", "7", "60", "0060", "86400", "999999999999999999"})
    void asciiDigitsParse(String text) {
        assertThat(AsciiDecimal.parse(text)).isEqualTo(Long.parseLong(text));
    }

    /** Each of these {@link Long#parseLong} accepts or would accept in some form; none is a wire integer. */
    @ParameterizedTest
    @ValueSource(strings = {"", "+60", "-1", " 60", "60 ", "\u0663", "6\u0660", "\uff16\uff10", "0x3c", "1e2", "6_0",
            "1000000000000000000"})
    void anythingElseIsRefused(String text) {
        assertThatThrownBy(() -> AsciiDecimal.parse(text)).isInstanceOf(NumberFormatException.class);
    }
}
