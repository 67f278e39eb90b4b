package dev.mayfly.cli.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyException;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Several broker nodes in one URL list: normalised into the one string that keys the credential cache. */
class BrokerUrlTest {
    @Test
    void aListIsCheckedTrimmedDeduplicatedAndKeepsItsOrder() {
        assertThat(BrokerUrl.parse(" http://b:8470/ ,http://a:8470,http://b:8470", "--url"))
                .containsExactly("http://b:8470", "http://a:8470");
    }

    @Test
    void anEmptyEntryOrABadUrlIsUsageNamingTheSource() {
        assertThatThrownBy(() -> BrokerUrl.parse("http://a:8470,,http://b:8470", "$MAYFLY_URL"))
                .isInstanceOfSatisfying(MayflyException.class, e -> {
                    assertThat(e.error().code()).isEqualTo(ErrorCode.USAGE);
                    assertThat(e.getMessage()).contains("$MAYFLY_URL", "empty entry");
                });
        assertThatThrownBy(() -> BrokerUrl.parse("http://a:8470,b:8470", "--url"))
                .isInstanceOfSatisfying(MayflyException.class, e -> assertThat(e.getMessage()).contains("'b:8470'", "--url"));
    }

    @Test
    void theSameSetGivenEitherWayIsTheSameKey() {
        CliContext fromEnv = new CliContext(Map.of(CliContext.URL_VAR, "http://a:8470/,http://b:8470"), Clock.systemUTC());
        CliContext plain = new CliContext(Map.of(), Clock.systemUTC());
        assertThat(fromEnv.brokerUrl(null)).isEqualTo(plain.brokerUrl("http://a:8470,http://b:8470/"))
                .isEqualTo("http://a:8470,http://b:8470");
        assertThat(CliContext.brokerUrls(fromEnv.brokerUrl(null))).containsExactly("http://a:8470", "http://b:8470");
        assertThat(plain.brokerUrl(null)).isEqualTo(CliContext.DEFAULT_URL);
    }
}
