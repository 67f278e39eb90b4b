package dev.mayfly.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.mayfly.core.error.ErrorCode;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TtlPolicyBuilderTest {

    private static PolicyException refused(UnaryOperator<TtlPolicy.Builder> change) {
        PolicyException e = catchThrowableOfType(PolicyException.class, () -> change.apply(TtlPolicy.builder()).build());
        assertThat(e).as("build() should have refused the policy").isNotNull();
        assertThat(e.code()).isEqualTo(ErrorCode.PRECONDITION);
        assertThat(e.error().code()).isEqualTo(ErrorCode.PRECONDITION);
        assertThat(e.problems()).isNotEmpty();
        for (String problem : e.problems()) {
            assertThat(e.getMessage()).contains(problem);
        }
        return e;
    }

    private static Duration m(long minutes) {
        return Duration.ofMinutes(minutes);
    }

    @Test
    void highTierOfSixMinutesIsRefused() {
        PolicyException e = refused(b -> b.tierTtl(Tier.HIGH, m(6)));
        assertThat(e.problems()).singleElement().asString()
                .contains("tier high").contains("6m").contains("5m");
    }

    @Test
    void criticalTierOfTenMinutesIsRefusedTwice() {
        PolicyException e = refused(b -> b.tierTtl(Tier.CRITICAL, m(10)));
        assertThat(e.problems()).hasSize(2);
        assertThat(e.problems()).anySatisfy(p -> assertThat(p).contains("tier critical").contains("10m").contains("5m"));
        assertThat(e.problems()).anySatisfy(p -> assertThat(p).contains("critical").contains("outlive").contains("high"));
    }

    @Test
    void criticalLongerThanHighIsRefused() {
        PolicyException e = refused(b -> b.tierTtl(Tier.HIGH, m(3)).tierTtl(Tier.CRITICAL, m(4)));
        assertThat(e.problems()).singleElement().asString()
                .contains("tier critical (4m)").contains("outlive").contains("high (3m)");
    }

    @Test
    void higherTierOutlivingAnyLowerOneIsRefused() {
        PolicyException e = refused(b -> b.tierTtl(Tier.LOW, m(8)));
        assertThat(e.problems()).singleElement().asString().contains("standard").contains("low");
    }

    @Test
    void equalTiersAndTheFiveMinuteBoundaryAreAccepted() {
        TtlPolicy p = TtlPolicy.builder()
                .tierTtl(Tier.LOW, m(5)).tierTtl(Tier.STANDARD, m(5))
                .tierTtl(Tier.HIGH, m(5)).tierTtl(Tier.CRITICAL, m(5))
                .build();
        assertThat(p.tierTtl(Tier.CRITICAL)).isEqualTo(TtlPolicy.HIGH_PRIVILEGE_MAX).isEqualTo(m(5));
        PolicyException justOver = refused(b -> b.tierTtl(Tier.HIGH, Duration.ofSeconds(301)));
        assertThat(justOver.problems()).singleElement().asString().contains("5m1s");
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -1, -600})
    void zeroOrNegativeDurationsAreRefused(long seconds) {
        Duration d = Duration.ofSeconds(seconds);
        assertThat(refused(b -> b.sessionMax(d)).problems()).singleElement().asString()
                .contains("session max").contains("positive");
        assertThat(refused(b -> b.tierTtl(Tier.CRITICAL, d)).problems())
                .anySatisfy(p -> assertThat(p).contains("tier critical").contains("positive"));
        assertThat(refused(b -> b.tierTtl(Tier.LOW, d)).problems())
                .anySatisfy(p -> assertThat(p).contains("tier low").contains("positive"));
        assertThat(refused(b -> b.kindMax(AgentKind.BATCH, d)).problems()).singleElement().asString()
                .contains("kind batch").contains("positive");
    }

    @Test
    void leewayMustBeBetweenZeroAndFiveMinutes() {
        assertThat(refused(b -> b.leeway(Duration.ofSeconds(301))).problems()).singleElement().asString()
                .contains("clock_leeway").contains("5m").contains("5m1s");
        assertThat(refused(b -> b.leeway(m(10))).problems()).singleElement().asString().contains("10m");
        assertThat(refused(b -> b.leeway(Duration.ofSeconds(-1))).problems()).singleElement().asString()
                .contains("clock_leeway");
        assertThat(TtlPolicy.builder().leeway(m(5)).build().leeway()).isEqualTo(m(5));
        assertThat(TtlPolicy.builder().leeway(Duration.ZERO).build().leeway()).isEqualTo(Duration.ZERO);
    }

    @Test
    void severalProblemsAreReportedTogether() {
        PolicyException e = refused(b -> b
                .sessionMax(Duration.ZERO)
                .leeway(m(6))
                .tierTtl(Tier.HIGH, m(6))
                .kindMax(AgentKind.LLM, Duration.ofSeconds(-1)));
        assertThat(e.problems()).hasSize(4);
        assertThat(e.problems()).anySatisfy(p -> assertThat(p).contains("session max"));
        assertThat(e.problems()).anySatisfy(p -> assertThat(p).contains("clock_leeway"));
        assertThat(e.problems()).anySatisfy(p -> assertThat(p).contains("tier high"));
        assertThat(e.problems()).anySatisfy(p -> assertThat(p).contains("kind llm"));
        assertThat(e.getMessage()).startsWith("Policy refused: ");
        @SuppressWarnings("unchecked")
        List<String> wire = (List<String>) e.error().toMap().get("problems");
        assertThat(wire).isEqualTo(e.problems());
        assertThat(e.error().retryable()).isFalse();
    }

    @Test
    void removingAKindCapIsAllowed() {
        TtlPolicy p = TtlPolicy.builder().kindMax(AgentKind.BATCH, null).build();
        assertThat(p.kindMax()).isEmpty();
    }
}
