package dev.mayfly.core.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

    @ParameterizedTest(name = "{0} = {1} ms")
    @CsvSource({
            "90s, 90000",
            "5m, 300000",
            "1h, 3600000",
            "1h30m, 5400000",
            "500ms, 500",
            "2d, 172800000",
            "1m30s, 90000",
            "0s, 0",
            "1d2h3m4s5ms, 93784005",
            "5m500ms, 300500",
            "30s, 30000",
            "999999999ms, 999999999",
            "007s, 7000",
    })
    void parsesHumanForms(String text, long millis) {
        assertThat(Durations.parse(text)).isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"   ", "\t", "5", "m5", "5x", "-5m", "5m3", "5m 3s", "5 m", "1.5h", "+5m", "5M", "5H",
            "1234567890s", "h", "ms", "5mm", "5s5", "m", "1h-30m", "5m,3s", "5min", "PT5M", "5m\n3s", "٥m"})
    void rejectsAnythingElse(String text) {
        assertThatIllegalArgumentException().isThrownBy(() -> Durations.parse(text))
                .withMessageContaining("expected a form like");
    }

    @Test
    void errorMessageQuotesTheInput() {
        assertThatThrownBy(() -> Durations.parse("5 minutes"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'5 minutes'")
                .hasMessageContaining("90s");
    }

    @ParameterizedTest
    @CsvSource({
            "0, 0s",
            "500, 500ms",
            "1000, 1s",
            "90000, 1m30s",
            "300000, 5m",
            "5400000, 1h30m",
            "86400000, 1d",
            "93784005, 1d2h3m4s5ms",
            "3600500, 1h500ms",
    })
    void formatsTheShortestForm(long millis, String text) {
        assertThat(Durations.format(Duration.ofMillis(millis))).isEqualTo(text);
    }

    @Test
    void formatOfParseRoundTripsForASeededRandomSet() {
        Random rnd = new Random(1122);
        String[] units = {"ms", "s", "m", "h", "d"};
        for (int i = 0; i < 2_000; i++) {
            StringBuilder text = new StringBuilder();
            int parts = 1 + rnd.nextInt(4);
            for (int p = 0; p < parts; p++) {
                text.append(rnd.nextInt(100_000)).append(units[rnd.nextInt(units.length)]);
            }
            Duration d = Durations.parse(text.toString());
            String formatted = Durations.format(d);
            assertThat(Durations.parse(formatted)).as("%s -> %s", text, formatted).isEqualTo(d);
            // format is canonical: formatting again gives the same text
            assertThat(Durations.format(Durations.parse(formatted))).isEqualTo(formatted);
        }
    }

    @Test
    void parseOfFormatRoundTripsForRandomMillisecondDurations() {
        Random rnd = new Random(42);
        for (int i = 0; i < 2_000; i++) {
            Duration d = Duration.ofMillis((long) (rnd.nextDouble() * Duration.ofDays(400).toMillis()));
            assertThat(Durations.parse(Durations.format(d))).as(d.toString()).isEqualTo(d);
        }
    }

    @Test
    void negativeDurationsFormatWithASign() {
        assertThat(Durations.format(Duration.ofSeconds(-90))).isEqualTo("-1m30s");
    }

    @Test
    void subMillisecondDurationsFormatToSomethingParseable() {
        String s = Durations.format(Duration.ofNanos(500));
        assertThat(s).isNotEmpty();
        Durations.parse(s);
    }

    @Test
    void overflowIsAnIllegalArgument() {
        String huge = "999999999d".repeat(110_000);
        assertThatIllegalArgumentException().isThrownBy(() -> Durations.parse(huge));
    }
}
