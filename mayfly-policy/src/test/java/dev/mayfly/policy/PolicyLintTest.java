package dev.mayfly.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mayfly.core.policy.AgentKind;
import dev.mayfly.core.policy.ScopeRule;
import dev.mayfly.core.policy.Tier;
import dev.mayfly.core.policy.TtlPolicy;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyLintTest {
    @Test
    void theDefaultPolicyIsClean() {
        assertThat(PolicyLint.lint(TtlPolicy.defaults(), List.of("orders:delete", "mayfly:admin", "orders:read"))).isEmpty();
    }

    @Test
    void aHighTierOfTenMinutesIsRefusedAsInvalid() {
        List<PolicyLint.Finding> f = PolicyLint.lintToml("[tiers]\nhigh = \"10m\"\n", "p.toml");
        assertThat(f).extracting(PolicyLint.Finding::rule).containsExactly("invalid");
        assertThat(f.get(0).error()).isTrue();
        assertThat(f.get(0).message()).contains("tier high would live 10m");
    }

    @Test
    void scopeRulesThatDropTheAdminRuleLeaveAdminScopesAtTenMinutes() {
        String toml = "[[scope]]\npattern = \"payments:*\"\ntier = \"standard\"\n";
        List<PolicyLint.Finding> f = PolicyLint.lintToml(toml, "p.toml");
        assertThat(f).extracting(PolicyLint.Finding::rule).containsOnly("high-privilege-ttl");
        assertThat(f).extracting(PolicyLint.Finding::message)
                .anyMatch(m -> m.startsWith("scope payments:admin is high-privilege but gets tier standard and lives 10m"))
                .anyMatch(m -> m.startsWith("scope example:delete"));
    }

    @Test
    void grantedHighPrivilegeScopesAreProbedToo() {
        TtlPolicy p = TtlPolicy.builder().scopeRules(List.of(new ScopeRule("*:admin", Tier.CRITICAL),
                new ScopeRule("*:delete", Tier.HIGH), new ScopeRule("billing:*", Tier.LOW))).build();
        assertThat(PolicyLint.lint(p, List.of())).extracting(PolicyLint.Finding::rule).isEmpty();
        // *:delete comes before billing:*, so billing:delete stays high; put billing:* first and it is low.
        assertThat(PolicyLint.lint(p, List.of("billing:delete"))).isEmpty();
        TtlPolicy reordered = TtlPolicy.builder().scopeRules(List.of(new ScopeRule("billing:*", Tier.LOW),
                new ScopeRule("*:admin", Tier.CRITICAL))).build();
        assertThat(PolicyLint.lint(reordered, List.of("billing:delete")))
                .extracting(PolicyLint.Finding::message).anyMatch(m -> m.startsWith("scope billing:delete "));
    }

    @Test
    void batchAgentsThatCouldHoldLongTokensFail() {
        TtlPolicy p = TtlPolicy.builder().tierTtl(Tier.LOW, Duration.ofHours(2)).tierTtl(Tier.STANDARD, Duration.ofHours(1))
                .sessionMax(Duration.ofHours(4)).kindMax(AgentKind.BATCH, Duration.ofHours(2)).build();
        List<PolicyLint.Finding> f = PolicyLint.lint(p, List.of());
        assertThat(f).extracting(PolicyLint.Finding::rule).containsExactly("batch-ttl", "long-session");
        assertThat(f.get(0).message()).contains("batch agents could hold tokens for 2h");
        assertThat(f.get(1).severity()).isEqualTo(PolicyLint.Severity.WARNING);
        // With the default batch cap the same long tiers do not reach batch agents.
        assertThat(PolicyLint.lint(p.toBuilder().kindMax(AgentKind.BATCH, Duration.ofMinutes(10)).build(), List.of()))
                .extracting(PolicyLint.Finding::rule).containsExactly("long-session");
    }

    @Test
    void theDocumentShapeRoundTripsThroughThePolicyFileReader() {
        TtlPolicy p = TtlPolicy.builder().sessionMax(Duration.ofMinutes(20)).crossTrustAudience("https://pay.example")
                .scopeRules(List.of(new ScopeRule("pay:*", Tier.HIGH))).build();
        TtlPolicy back = PolicyDocument.fromTree(dev.mayfly.core.json.Json.mapper().valueToTree(PolicyDocument.toMap(p)), "t");
        assertThat(PolicyDocument.toMap(back)).isEqualTo(PolicyDocument.toMap(p));
        assertThat(PolicyFile.parse(PolicyDocument.toToml(p), "t").sessionMax()).isEqualTo(Duration.ofMinutes(20));
    }
}
