package dev.mayfly.policy.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mayfly.core.policy.PolicyException;
import dev.mayfly.policy.PolicyFile;
import dev.mayfly.core.policy.TtlPolicy;
import java.time.Duration;

/**
 * Fuzzes the TOML policy file ({@code mayfly policy check}, docs/policy.md). Properties: a policy either
 * parses or is refused with a {@link PolicyException} listing at least one problem (never another
 * exception, which the CLI would report as an internal error); and a policy that parses has positive
 * lifetimes and a non-negative leeway.
 */
class PolicyFileFuzzTest {

    @FuzzTest(maxDuration = "5m")
    void parsing(FuzzedDataProvider data) {
        String toml = data.consumeRemainingAsString();
        TtlPolicy policy;
        try {
            policy = PolicyFile.parse(toml, "fuzz.toml");
        } catch (PolicyException e) {
            assertThat(e.problems()).isNotEmpty();
            return;
        }
        assertThat(policy.sessionMax()).isPositive();
        assertThat(policy.leeway()).isGreaterThanOrEqualTo(Duration.ZERO);
    }
}
