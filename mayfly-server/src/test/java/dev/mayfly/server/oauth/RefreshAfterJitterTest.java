package dev.mayfly.server.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import org.junit.jupiter.api.Test;

/** {@code refresh_after} is 60% of the lifetime plus up to 20% of jitter, drawn from the injected source. */
class RefreshAfterJitterTest {
    private static AccessTokenMinter minter(double fraction) {
        return new AccessTokenMinter(null, "https://broker.test", Clock.systemUTC(), () -> fraction);
    }

    @Test
    void noJitterRefreshesAtSixtyPercent() {
        assertThat(minter(0.0).refreshAfter(900)).isEqualTo(540);
    }

    @Test
    void theJitterSpreadsRefreshesOverTheNextTwentyPercent() {
        assertThat(minter(0.5).refreshAfter(900)).isEqualTo(630);
        assertThat(minter(Math.nextDown(1.0)).refreshAfter(900)).isEqualTo(719); // never the full 80%
    }

    @Test
    void aVeryShortTokenStillWaitsAtLeastASecond() {
        assertThat(minter(0.0).refreshAfter(1)).isEqualTo(1);
    }
}
