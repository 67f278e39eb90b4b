package dev.mayfly.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mayfly.core.policy.TtlDecision.Bound;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TtlPolicyTest {
    private static final TtlPolicy DEFAULTS = TtlPolicy.defaults();
    private static final List<String> NO_AUD = List.of();
    private static final String PAYMENTS = "https://payments.example";

    private static Duration min(long minutes) {
        return Duration.ofMinutes(minutes);
    }

    @Test
    void defaultsAreTheDesignTable() {
        assertThat(DEFAULTS.sessionMax()).isEqualTo(min(30));
        assertThat(DEFAULTS.tierTtl(Tier.LOW)).isEqualTo(min(15));
        assertThat(DEFAULTS.tierTtl(Tier.STANDARD)).isEqualTo(min(10));
        assertThat(DEFAULTS.tierTtl(Tier.HIGH)).isEqualTo(min(5));
        assertThat(DEFAULTS.tierTtl(Tier.CRITICAL)).isEqualTo(min(2));
        assertThat(DEFAULTS.leeway()).isEqualTo(Duration.ofSeconds(30));
        assertThat(DEFAULTS.kindMax()).containsExactly(Map.entry(AgentKind.BATCH, min(10)));
        assertThat(DEFAULTS.defaultTier()).isEqualTo(Tier.STANDARD);
        assertThat(DEFAULTS.crossTrustAudiences()).isEmpty();
        assertThat(DEFAULTS.longestTokenTtl()).isEqualTo(min(15));
    }

    @ParameterizedTest
    @CsvSource({
            "repo:read, LOW",
            "payments:read, LOW",
            "repo:delete, HIGH",
            "db:admin, CRITICAL",
            "mayfly:admin, CRITICAL",
            "repo:write, STANDARD",
            "read, STANDARD",
            "repo:readme, STANDARD",
    })
    void builtInScopeRules(String scope, Tier tier) {
        assertThat(DEFAULTS.tierOf(scope)).isEqualTo(tier);
    }

    @Test
    void mayflyAdminIsCriticalEvenWhenACustomRuleSaysLow() {
        TtlPolicy p = TtlPolicy.builder()
                .defaultTier(Tier.LOW)
                .scopeRules(List.of(new ScopeRule("mayfly:admin", Tier.LOW), new ScopeRule("mayfly:*", Tier.LOW),
                        new ScopeRule("*", Tier.LOW)))
                .build();
        assertThat(p.tierOf("mayfly:admin")).isEqualTo(Tier.CRITICAL);
        assertThat(p.tierOf("mayfly:read")).isEqualTo(Tier.LOW);
        assertThat(p.tierOf("db:admin")).isEqualTo(Tier.LOW);
        assertThat(p.tierOf(List.of("x:read", "mayfly:admin"), NO_AUD)).isEqualTo(Tier.CRITICAL);
        TtlDecision d = p.decide(List.of("mayfly:admin"), NO_AUD, AgentKind.INTERACTIVE, null, null);
        assertThat(d.tier()).isEqualTo(Tier.CRITICAL);
        assertThat(d.ttl()).isEqualTo(min(2));

        TtlPolicy noRules = TtlPolicy.builder().defaultTier(Tier.LOW).scopeRules(List.of()).build();
        assertThat(noRules.tierOf("mayfly:admin")).isEqualTo(Tier.CRITICAL);
    }

    @Test
    void highestTierAmongScopesWinsWhateverTheOrder() {
        List<String> scopes = new ArrayList<>(List.of("a:read", "b:delete", "c:write", "d:read"));
        Random rnd = new Random(3);
        for (int i = 0; i < 20; i++) {
            Collections.shuffle(scopes, rnd);
            assertThat(DEFAULTS.tierOf(scopes, NO_AUD)).as(scopes.toString()).isEqualTo(Tier.HIGH);
        }
        assertThat(DEFAULTS.tierOf(List.of("a:read", "b:read"), NO_AUD)).isEqualTo(Tier.LOW);
        assertThat(DEFAULTS.tierOf(List.of("a:read", "b:write"), NO_AUD)).isEqualTo(Tier.STANDARD);
        assertThat(DEFAULTS.tierOf(List.of("a:read", "b:admin", "c:delete"), NO_AUD)).isEqualTo(Tier.CRITICAL);
    }

    @Test
    void noScopesMeansTheDefaultTier() {
        assertThat(DEFAULTS.tierOf(List.of(), NO_AUD)).isEqualTo(Tier.STANDARD);
        TtlPolicy low = TtlPolicy.builder().defaultTier(Tier.LOW).build();
        assertThat(low.tierOf(List.of(), NO_AUD)).isEqualTo(Tier.LOW);
    }

    @Test
    void crossTrustAudienceRaisesToHighButNeverLowers() {
        TtlPolicy p = TtlPolicy.builder().crossTrustAudience(PAYMENTS).build();
        assertThat(p.tierOf(List.of("a:read"), List.of(PAYMENTS))).isEqualTo(Tier.HIGH);
        assertThat(p.tierOf(List.of("a:read"), List.of("https://other.example", PAYMENTS))).isEqualTo(Tier.HIGH);
        assertThat(p.tierOf(List.of("a:read"), List.of("https://other.example"))).isEqualTo(Tier.LOW);
        assertThat(p.tierOf(List.of(), List.of(PAYMENTS))).isEqualTo(Tier.HIGH);
        assertThat(p.tierOf(List.of("a:admin"), List.of(PAYMENTS))).isEqualTo(Tier.CRITICAL);
        assertThat(DEFAULTS.tierOf(List.of("a:read"), List.of(PAYMENTS))).isEqualTo(Tier.LOW);

        TtlDecision d = p.decide(List.of("a:read"), List.of(PAYMENTS), AgentKind.INTERACTIVE, min(60), null);
        assertThat(d).isEqualTo(new TtlDecision(min(5), Tier.HIGH, Bound.TIER));
    }

    @Test
    void requestForAnHourGetsTheTiersMaximum() {
        assertThat(DEFAULTS.decide(List.of("repo:write"), NO_AUD, AgentKind.INTERACTIVE, min(60), null))
                .isEqualTo(new TtlDecision(min(10), Tier.STANDARD, Bound.TIER));
        assertThat(DEFAULTS.decide(List.of("repo:read"), NO_AUD, AgentKind.LLM, min(60), min(30)))
                .isEqualTo(new TtlDecision(min(15), Tier.LOW, Bound.TIER));
        assertThat(DEFAULTS.decide(List.of("repo:delete"), NO_AUD, AgentKind.INTERACTIVE, min(60), min(30)))
                .isEqualTo(new TtlDecision(min(5), Tier.HIGH, Bound.TIER));
        assertThat(DEFAULTS.decide(List.of("repo:admin"), NO_AUD, AgentKind.INTERACTIVE, min(60), min(30)))
                .isEqualTo(new TtlDecision(min(2), Tier.CRITICAL, Bound.TIER));
    }

    @Test
    void shorterRequestIsHonoured() {
        assertThat(DEFAULTS.decide(List.of("repo:write"), NO_AUD, AgentKind.INTERACTIVE, min(3), min(30)))
                .isEqualTo(new TtlDecision(min(3), Tier.STANDARD, Bound.REQUESTED));
    }

    @Test
    void noRequestMeansTheTiersMaximum() {
        assertThat(DEFAULTS.decide(List.of("repo:write"), NO_AUD, AgentKind.INTERACTIVE, null, null))
                .isEqualTo(new TtlDecision(min(10), Tier.STANDARD, Bound.TIER));
    }

    @Test
    void batchKindCapsALowTierToken() {
        assertThat(DEFAULTS.decide(List.of("repo:read"), NO_AUD, AgentKind.BATCH, min(60), null))
                .isEqualTo(new TtlDecision(min(10), Tier.LOW, Bound.AGENT_KIND));
        assertThat(DEFAULTS.decide(List.of("repo:read"), NO_AUD, AgentKind.BATCH, min(4), null))
                .isEqualTo(new TtlDecision(min(4), Tier.LOW, Bound.REQUESTED));
        // a cap above the tier does not lengthen anything
        assertThat(DEFAULTS.decide(List.of("repo:delete"), NO_AUD, AgentKind.BATCH, null, null))
                .isEqualTo(new TtlDecision(min(5), Tier.HIGH, Bound.TIER));
    }

    @Test
    void sessionRemainingBelowTheTierIsTheBound() {
        assertThat(DEFAULTS.decide(List.of("repo:write"), NO_AUD, AgentKind.INTERACTIVE, null, min(4)))
                .isEqualTo(new TtlDecision(min(4), Tier.STANDARD, Bound.SESSION));
        assertThat(DEFAULTS.decide(List.of("repo:write"), NO_AUD, AgentKind.INTERACTIVE, min(3), Duration.ofSeconds(61)))
                .isEqualTo(new TtlDecision(Duration.ofSeconds(61), Tier.STANDARD, Bound.SESSION));
        assertThat(DEFAULTS.decide(List.of("repo:read"), NO_AUD, AgentKind.BATCH, min(60), min(7)))
                .isEqualTo(new TtlDecision(min(7), Tier.LOW, Bound.SESSION));
    }

    @Test
    void neverNegative() {
        TtlDecision expiredSession = DEFAULTS.decide(List.of("repo:write"), NO_AUD, AgentKind.INTERACTIVE, null,
                Duration.ofSeconds(-5));
        assertThat(expiredSession.ttl()).isEqualTo(Duration.ZERO);
        assertThat(expiredSession.ttl().isNegative()).isFalse();
        assertThat(expiredSession.bound()).isEqualTo(Bound.SESSION);

        TtlDecision negativeRequest = DEFAULTS.decide(List.of("repo:write"), NO_AUD, AgentKind.INTERACTIVE,
                min(-1), min(30));
        assertThat(negativeRequest.ttl()).isEqualTo(Duration.ZERO);
    }

    @Test
    void decisionIsTheMinimumOfAllBoundsForARandomSet() {
        TtlPolicy p = TtlPolicy.builder()
                .crossTrustAudience(PAYMENTS)
                .kindMax(AgentKind.LLM, min(7))
                .build();
        String[] scopePool = {"a:read", "b:write", "c:delete", "d:admin", "mayfly:admin", "e:list"};
        Random rnd = new Random(99);
        for (int i = 0; i < 5_000; i++) {
            List<String> scopes = new ArrayList<>();
            for (String s : scopePool) {
                if (rnd.nextInt(3) == 0) {
                    scopes.add(s);
                }
            }
            List<String> aud = rnd.nextBoolean() ? List.of(PAYMENTS) : List.of("https://api.example");
            AgentKind kind = AgentKind.values()[rnd.nextInt(AgentKind.values().length)];
            Duration requested = rnd.nextInt(4) == 0 ? null : Duration.ofSeconds(rnd.nextInt(3600) - 60);
            Duration session = rnd.nextInt(4) == 0 ? null : Duration.ofSeconds(rnd.nextInt(1800) - 60);

            TtlDecision d = p.decide(scopes, aud, kind, requested, session);

            Tier expectedTier = p.tierOf(scopes, aud);
            Duration tierTtl = p.tierTtl(expectedTier);
            Duration kindCap = p.kindMax().get(kind);
            Duration expected = tierTtl;
            for (Duration bound : new Duration[] {kindCap, requested, session}) {
                if (bound != null && bound.compareTo(expected) < 0) {
                    expected = bound;
                }
            }
            if (expected.isNegative()) {
                expected = Duration.ZERO;
            }
            String ctx = scopes + " " + aud + " " + kind + " req=" + requested + " ses=" + session;
            assertThat(d.tier()).as(ctx).isEqualTo(expectedTier);
            assertThat(d.ttl()).as(ctx).isEqualTo(expected).isLessThanOrEqualTo(tierTtl);
            assertThat(d.ttl().isNegative()).as(ctx).isFalse();
            Duration boundValue = switch (d.bound()) {
                case TIER -> tierTtl;
                case AGENT_KIND -> kindCap;
                case REQUESTED -> requested;
                case SESSION -> session;
            };
            assertThat(boundValue).as(ctx + " bound " + d.bound()).isNotNull();
            assertThat(d.ttl()).as(ctx).isEqualTo(boundValue.isNegative() ? Duration.ZERO : boundValue);
        }
    }

    @Test
    void toBuilderKeepsEverything() {
        TtlPolicy p = TtlPolicy.builder()
                .sessionMax(min(20))
                .leeway(Duration.ofSeconds(10))
                .defaultTier(Tier.LOW)
                .tierTtl(Tier.LOW, min(12))
                .kindMax(AgentKind.BATCH, null)
                .kindMax(AgentKind.LLM, min(3))
                .scopeRules(List.of(new ScopeRule("x:*", Tier.HIGH)))
                .crossTrustAudience(PAYMENTS)
                .build();
        TtlPolicy q = p.toBuilder().build();
        assertThat(q.sessionMax()).isEqualTo(min(20));
        assertThat(q.leeway()).isEqualTo(Duration.ofSeconds(10));
        assertThat(q.defaultTier()).isEqualTo(Tier.LOW);
        assertThat(q.tierTtl(Tier.LOW)).isEqualTo(min(12));
        assertThat(q.kindMax()).containsExactly(Map.entry(AgentKind.LLM, min(3)));
        assertThat(q.scopeRules()).extracting(ScopeRule::pattern).containsExactly("x:*");
        assertThat(q.crossTrustAudiences()).containsExactly(PAYMENTS);
    }

    @Test
    void policyIsImmutable() {
        List<ScopeRule> rules = new ArrayList<>(List.of(new ScopeRule("x:*", Tier.HIGH)));
        TtlPolicy.Builder b = TtlPolicy.builder().scopeRules(rules);
        TtlPolicy p = b.build();
        rules.add(new ScopeRule("*", Tier.CRITICAL));
        b.tierTtl(Tier.LOW, min(1)).crossTrustAudience(PAYMENTS);
        assertThat(p.scopeRules()).hasSize(1);
        assertThat(p.tierTtl(Tier.LOW)).isEqualTo(min(15));
        assertThat(p.crossTrustAudiences()).isEmpty();
        assertThatThrownBy(() -> p.scopeRules().add(new ScopeRule("y", Tier.LOW)))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> p.kindMax().put(AgentKind.LLM, min(1)))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> p.crossTrustAudiences().add("x"))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void scopeRuleGlobs() {
        ScopeRule r = new ScopeRule("payments:*", Tier.HIGH);
        assertThat(r.matches("payments:refund")).isTrue();
        assertThat(r.matches("payments:")).isTrue();
        assertThat(r.matches("payments:a:b")).isTrue();
        assertThat(r.matches("xpayments:refund")).isFalse();
        assertThat(r.matches("payments")).isFalse();
        ScopeRule literal = new ScopeRule("a.b+c", Tier.LOW);
        assertThat(literal.matches("a.b+c")).isTrue();
        assertThat(literal.matches("aXbbc")).isFalse();
        assertThat(new ScopeRule("*:admin", Tier.CRITICAL).matches("x:y:admin")).isTrue();
    }

    @Test
    void tierAndKindNames() {
        assertThat(Tier.parse(" High ")).isEqualTo(Tier.HIGH);
        assertThat(Tier.CRITICAL.wireName()).isEqualTo("critical");
        assertThatThrownBy(() -> Tier.parse("medium")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("medium");
        assertThat(AgentKind.parse("batch")).isEqualTo(AgentKind.BATCH);
        assertThatThrownBy(() -> AgentKind.parse("robot")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("robot");
        assertThatThrownBy(() -> AgentKind.parse(null)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Tier.LOW.max(Tier.HIGH)).isEqualTo(Tier.HIGH);
        assertThat(Tier.CRITICAL.max(Tier.LOW)).isEqualTo(Tier.CRITICAL);
    }
}
