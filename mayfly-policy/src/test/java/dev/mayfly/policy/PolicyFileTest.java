package dev.mayfly.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.policy.AgentKind;
import dev.mayfly.core.policy.PolicyException;
import dev.mayfly.core.policy.ScopeRule;
import dev.mayfly.core.policy.Tier;
import dev.mayfly.core.policy.TtlPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyFileTest {
    /** The example from the PolicyFile class javadoc, verbatim. */
    private static final String JAVADOC_EXAMPLE = """
            session_max = "30m"
            clock_leeway = "30s"
            default_tier = "standard"
            cross_trust_audiences = ["https://payments.example"]

            [tiers]
            low = "15m"
            standard = "10m"
            high = "5m"
            critical = "2m"

            [kinds]          # caps per agent kind
            batch = "10m"

            [[scope]]        # first match wins; replaces the built-in rules when present
            pattern = "payments:*"
            tier = "high"
            """;

    private static PolicyException refused(String toml) {
        PolicyException e = catchThrowableOfType(PolicyException.class, () -> PolicyFile.parse(toml, "policy.toml"));
        assertThat(e).as("PolicyFile.parse should have refused:\n" + toml).isNotNull();
        assertThat(e.code()).isEqualTo(ErrorCode.PRECONDITION);
        return e;
    }

    private static Duration m(long minutes) {
        return Duration.ofMinutes(minutes);
    }

    @Test
    void javadocExampleParsesToTheExpectedPolicy() {
        TtlPolicy p = PolicyFile.parse(JAVADOC_EXAMPLE, "example.toml");
        assertThat(p.sessionMax()).isEqualTo(m(30));
        assertThat(p.leeway()).isEqualTo(Duration.ofSeconds(30));
        assertThat(p.defaultTier()).isEqualTo(Tier.STANDARD);
        assertThat(p.crossTrustAudiences()).containsExactly("https://payments.example");
        assertThat(p.tierTtl(Tier.LOW)).isEqualTo(m(15));
        assertThat(p.tierTtl(Tier.STANDARD)).isEqualTo(m(10));
        assertThat(p.tierTtl(Tier.HIGH)).isEqualTo(m(5));
        assertThat(p.tierTtl(Tier.CRITICAL)).isEqualTo(m(2));
        assertThat(p.kindMax()).containsExactly(Map.entry(AgentKind.BATCH, m(10)));
        assertThat(p.scopeRules()).hasSize(1);
        assertThat(p.scopeRules().get(0).pattern()).isEqualTo("payments:*");
        assertThat(p.scopeRules().get(0).tier()).isEqualTo(Tier.HIGH);

        assertThat(p.tierOf("payments:refund")).isEqualTo(Tier.HIGH);
        // the [[scope]] rules replaced the built-in ones
        assertThat(p.tierOf("repo:read")).isEqualTo(Tier.STANDARD);
        assertThat(p.tierOf("db:admin")).isEqualTo(Tier.STANDARD);
        assertThat(p.tierOf("mayfly:admin")).isEqualTo(Tier.CRITICAL);
        assertThat(p.tierOf(List.of("repo:write"), List.of("https://payments.example"))).isEqualTo(Tier.HIGH);
    }

    @Test
    void everyKeyIsRead() {
        TtlPolicy p = PolicyFile.parse("""
                session_max = "20m"
                clock_leeway = "10s"
                default_tier = "low"
                cross_trust_audiences = ["https://a.example", "https://b.example"]

                [tiers]
                low = "12m"
                standard = "8m"
                high = "4m"
                critical = "1m"

                [kinds]
                batch = "6m"
                llm = "3m"
                """, "full.toml");
        assertThat(p.sessionMax()).isEqualTo(m(20));
        assertThat(p.leeway()).isEqualTo(Duration.ofSeconds(10));
        assertThat(p.defaultTier()).isEqualTo(Tier.LOW);
        assertThat(p.crossTrustAudiences()).containsExactly("https://a.example", "https://b.example");
        assertThat(p.tierTtl(Tier.LOW)).isEqualTo(m(12));
        assertThat(p.tierTtl(Tier.STANDARD)).isEqualTo(m(8));
        assertThat(p.tierTtl(Tier.HIGH)).isEqualTo(m(4));
        assertThat(p.tierTtl(Tier.CRITICAL)).isEqualTo(m(1));
        assertThat(p.kindMax()).containsOnly(Map.entry(AgentKind.BATCH, m(6)), Map.entry(AgentKind.LLM, m(3)));
        // no [[scope]]: the built-in rules stay
        assertThat(p.tierOf("x:read")).isEqualTo(Tier.LOW);
        assertThat(p.tierOf("x:delete")).isEqualTo(Tier.HIGH);
        assertThat(p.tierOf("x:write")).isEqualTo(Tier.LOW);
    }

    @Test
    void partialFileKeepsTheDefaults() {
        TtlPolicy p = PolicyFile.parse("session_max = \"20m\"\n", "partial.toml");
        TtlPolicy d = TtlPolicy.defaults();
        assertThat(p.sessionMax()).isEqualTo(m(20));
        assertThat(p.leeway()).isEqualTo(d.leeway());
        assertThat(p.defaultTier()).isEqualTo(d.defaultTier());
        for (Tier t : Tier.values()) {
            assertThat(p.tierTtl(t)).as(t.name()).isEqualTo(d.tierTtl(t));
        }
        assertThat(p.kindMax()).isEqualTo(d.kindMax());
        assertThat(p.scopeRules()).extracting(ScopeRule::pattern).containsExactly("*:admin", "*:delete", "*:read");
        assertThat(p.crossTrustAudiences()).isEmpty();

        TtlPolicy onlyHigh = PolicyFile.parse("[tiers]\nhigh = \"3m\"\n", "t.toml");
        assertThat(onlyHigh.tierTtl(Tier.HIGH)).isEqualTo(m(3));
        assertThat(onlyHigh.tierTtl(Tier.LOW)).isEqualTo(m(15));
        assertThat(onlyHigh.tierTtl(Tier.CRITICAL)).isEqualTo(m(2));
    }

    /** Issue 18 item 8: the refresh-token reuse grace is policy, 10 s by default, 0s (off) to 1m. */
    @Test
    void refreshReuseGraceIsReadDefaultedAndBounded() {
        assertThat(TtlPolicy.defaults().refreshReuseGrace()).isEqualTo(Duration.ofSeconds(10));
        assertThat(PolicyFile.parse("refresh_reuse_grace = \"30s\"\n", "g.toml").refreshReuseGrace())
                .isEqualTo(Duration.ofSeconds(30));
        assertThat(PolicyFile.parse("refresh_reuse_grace = \"0s\"\n", "g.toml").refreshReuseGrace()).isZero();
        assertThat(refused("refresh_reuse_grace = \"5m\"\n").problems()).singleElement().asString()
                .contains("refresh_reuse_grace").contains("1m");
        assertThat(refused("refresh_reuse_grace = \"soon\"\n").problems()).singleElement().asString()
                .contains("refresh_reuse_grace");
        assertThat(PolicyDocument.toMap(TtlPolicy.defaults())).containsEntry("refresh_reuse_grace", "10s");
    }

    @Test
    void emptyOrCommentOnlyFileIsTheDefaults() {
        for (String text : new String[] {"", "# nothing here\n"}) {
            TtlPolicy p = PolicyFile.parse(text, "empty.toml");
            assertThat(p.sessionMax()).isEqualTo(m(30));
            assertThat(p.tierTtl(Tier.STANDARD)).isEqualTo(m(10));
            assertThat(p.scopeRules()).hasSize(3);
        }
    }

    @Test
    void unknownTopLevelKeyIsRefusedByName() {
        PolicyException e = refused("session_max = \"30m\"\nsesion_max = \"8h\"\n");
        assertThat(e.problems()).singleElement().asString().contains("sesion_max");
        assertThat(e.getMessage()).contains("sesion_max");

        assertThat(refused("[tier]\nhigh = \"5m\"\n").problems()).singleElement().asString().contains("'tier'");
    }

    @Test
    void unknownKeyInsideAScopeRuleIsRefused() {
        PolicyException e = refused("""
                [[scope]]
                pattern = "payments:*"
                tier = "high"
                ttl = "1h"
                """);
        assertThat(e.problems()).singleElement().asString().contains("scope[0]").contains("ttl");
    }

    @Test
    void badDurationIsRefusedNamingTheKey() {
        PolicyException e = refused("session_max = \"5 minutes\"\n");
        assertThat(e.problems()).singleElement().asString().contains("session_max").contains("5 minutes");

        assertThat(refused("clock_leeway = \"30 s\"\n").problems()).singleElement().asString().contains("clock_leeway");
        assertThat(refused("[tiers]\nlow = \"5 minutes\"\n").problems()).singleElement().asString().contains("tiers.low");
        assertThat(refused("[kinds]\nbatch = \"ten minutes\"\n").problems()).singleElement().asString()
                .contains("kinds.batch");
        // a bare number has no unit
        assertThat(refused("session_max = 30\n").problems()).singleElement().asString().contains("session_max");
    }

    @Test
    void badTierNameIsRefused() {
        assertThat(refused("default_tier = \"medium\"\n").problems()).singleElement().asString()
                .contains("default_tier").contains("medium");
        assertThat(refused("[tiers]\nmedium = \"7m\"\n").problems()).singleElement().asString()
                .contains("tiers.medium");
        assertThat(refused("[[scope]]\npattern = \"a:*\"\ntier = \"urgent\"\n").problems()).singleElement().asString()
                .contains("scope[0]").contains("urgent");
        assertThat(refused("[[scope]]\npattern = \"a:*\"\n").problems()).singleElement().asString()
                .contains("scope[0]");
    }

    @Test
    void unknownAgentKindIsRefused() {
        assertThat(refused("[kinds]\nrobot = \"5m\"\n").problems()).singleElement().asString()
                .contains("kinds.robot").contains("robot");
    }

    @Test
    void scopeRuleWithoutPatternIsRefused() {
        assertThat(refused("[[scope]]\ntier = \"high\"\n").problems()).singleElement().asString()
                .contains("scope[0]").contains("pattern");
        assertThat(refused("[[scope]]\npattern = \"a:*\"\ntier = \"high\"\n[[scope]]\npattern = \" \"\ntier = \"low\"\n")
                .problems()).singleElement().asString().contains("scope[1]").contains("pattern");
    }

    @Test
    void invalidTomlIsAPrecondition() {
        for (String bad : new String[] {"session_max = \n", "[tiers\nlow = \"5m\"\n", "session_max = \"5m\"\nsession_max = \"6m\"\n",
                "= \"x\"\n"}) {
            PolicyException e = refused(bad);
            assertThat(e.getMessage()).as(bad).contains("policy.toml").contains("not valid TOML");
        }
    }

    @Test
    void scopeRulesReplaceTheBuiltInOnesAndFirstMatchWins() {
        TtlPolicy p = PolicyFile.parse("""
                [[scope]]
                pattern = "payments:*"
                tier = "high"

                [[scope]]
                pattern = "payments:read"
                tier = "low"

                [[scope]]
                pattern = "*:read"
                tier = "low"

                [[scope]]
                pattern = "*"
                tier = "critical"
                """, "rules.toml");
        assertThat(p.scopeRules()).extracting(ScopeRule::pattern)
                .containsExactly("payments:*", "payments:read", "*:read", "*");
        assertThat(p.tierOf("payments:read")).isEqualTo(Tier.HIGH);
        assertThat(p.tierOf("repo:read")).isEqualTo(Tier.LOW);
        assertThat(p.tierOf("repo:delete")).isEqualTo(Tier.CRITICAL);
        assertThat(p.tierOf(List.of("payments:read", "repo:read"), List.of())).isEqualTo(Tier.HIGH);

        TtlPolicy lowAdmin = PolicyFile.parse("[[scope]]\npattern = \"mayfly:*\"\ntier = \"low\"\n", "admin.toml");
        assertThat(lowAdmin.tierOf("mayfly:admin")).isEqualTo(Tier.CRITICAL);
        assertThat(lowAdmin.tierOf("mayfly:read")).isEqualTo(Tier.LOW);
        assertThat(lowAdmin.tierOf("db:admin")).isEqualTo(Tier.STANDARD);
    }

    @Test
    void highTierOfTenMinutesIsRefusedMentioningFiveMinutes() {
        PolicyException e = refused("[tiers]\nhigh = \"10m\"\n");
        assertThat(e.problems()).anySatisfy(p -> assertThat(p).contains("high").contains("10m").contains("5m"));
        assertThat(e.getMessage()).contains("5m");
    }

    @Test
    void builderRulesApplyToFiles() {
        assertThat(refused("clock_leeway = \"6m\"\n").getMessage()).contains("clock_leeway");
        assertThat(refused("[tiers]\nhigh = \"2m\"\ncritical = \"3m\"\n").getMessage()).contains("outlive");
        assertThat(refused("session_max = \"0s\"\n").getMessage()).contains("session max");
    }

    @Test
    void severalFileProblemsAreReportedTogether() {
        PolicyException e = refused("""
                session_max = "half an hour"
                colour = "blue"
                default_tier = "medium"

                [kinds]
                robot = "5m"

                [[scope]]
                pattern = "a:*"
                tier = "urgent"
                note = "x"
                """);
        assertThat(e.problems()).hasSize(6);
        assertThat(String.join("\n", e.problems()))
                .contains("session_max").contains("colour").contains("default_tier")
                .contains("kinds.robot").contains("scope[0].note").contains("urgent");
    }

    @Test
    void loadReadsAFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("policy.toml");
        Files.writeString(file, JAVADOC_EXAMPLE);
        TtlPolicy p = PolicyFile.load(file);
        assertThat(p.tierOf("payments:x")).isEqualTo(Tier.HIGH);

        Files.writeString(file, "[tiers]\nhigh = \"10m\"\n");
        PolicyException e = catchThrowableOfType(PolicyException.class, () -> PolicyFile.load(file));
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains("5m");

        Files.writeString(file, "[tiers\n");
        PolicyException notToml = catchThrowableOfType(PolicyException.class, () -> PolicyFile.load(file));
        assertThat(notToml).isNotNull();
        assertThat(notToml.getMessage()).contains(file.toString());
    }

    @Test
    void loadOfAMissingFileIsAPolicyException(@TempDir Path dir) {
        Path missing = dir.resolve("nope.toml");
        PolicyException e = catchThrowableOfType(PolicyException.class, () -> PolicyFile.load(missing));
        assertThat(e).isNotNull();
        assertThat(e.code()).isEqualTo(ErrorCode.PRECONDITION);
        assertThat(e.getMessage()).contains(missing.toString());
    }

    @Test
    void crossTrustAudiencesAsAStringIsRefused() {
        refused("cross_trust_audiences = \"https://payments.example\"\n");
    }

    @Test
    void crossTrustAudiencesMustBeAudiencesTheBrokerAccepts() {
        PolicyException e = refused("cross_trust_audiences = [\"https://ok.example\", \"javascript:alert(1)\", 7, \"a b\"]\n");
        assertThat(e.problems()).hasSize(3).allMatch(p -> p.contains("absolute https or http URI"));
        assertThat(e.problems().get(0)).startsWith("cross_trust_audiences[1]");
    }

    @Test
    void scopeAsASingleTableIsRefused() {
        refused("[scope]\npattern = \"payments:*\"\ntier = \"high\"\n");
    }

    @Test
    void tiersOrKindsThatAreNotTablesAreRefused() {
        refused("tiers = \"5m\"\n");
        refused("kinds = [\"batch\"]\n");
    }

    @Test
    void attestationRulesAreReadMatchedAndWrittenBack() {
        TtlPolicy p = PolicyFile.parse("""
                [[attestation]]
                claim = "ref"
                value = "refs/pull/*"
                tier = "high"

                [[attestation]]
                claim = "kubernetes.io/namespace"
                value = "prod"
                tier = "critical"
                """, "t");
        assertThat(p.attestationRules()).hasSize(2);
        assertThat(p.attestedTier(Map.of("ref", "refs/pull/7/merge")::get)).isEqualTo(Tier.HIGH);
        assertThat(p.attestedTier(Map.of("ref", "refs/heads/main")::get)).isNull();
        assertThat(p.attestedTier(Map.of("ref", "refs/pull/1/merge", "kubernetes.io/namespace", "prod")::get))
                .as("the highest matching rule").isEqualTo(Tier.CRITICAL);
        assertThat(p.decide(List.of("repo:read"), List.of(), AgentKind.INTERACTIVE, null, null, Tier.HIGH).tier())
                .isEqualTo(Tier.HIGH);
        assertThat(p.decide(List.of("x:admin"), List.of(), AgentKind.INTERACTIVE, null, null, Tier.HIGH).tier())
                .as("a floor never lowers").isEqualTo(Tier.CRITICAL);
        TtlPolicy back = PolicyFile.parse(PolicyDocument.toToml(p), "round trip");
        assertThat(back.attestationRules()).extracting(Object::toString)
                .containsExactly("ref=refs/pull/* -> high", "kubernetes.io/namespace=prod -> critical");
        assertThat(PolicyDocument.toMap(TtlPolicy.defaults())).doesNotContainKey("attestation");
    }

    @Test
    void badAttestationRulesAreRefusedByName() {
        PolicyException e = refused("[[attestation]]\nclaim = \"ref\"\ntier = \"high\"\n\n"
                + "[[attestation]]\nclaim = \"ref\"\nvalue = \"x\"\ntier = \"urgent\"\n\n"
                + "[[attestation]]\nclaim = \"ref\"\nvalue = \"x\"\ntier = \"high\"\nscope = \"y\"\n");
        assertThat(e.problems()).anyMatch(p -> p.startsWith("attestation[0]") && p.contains("required"))
                .anyMatch(p -> p.startsWith("attestation[1]") && p.contains("unknown tier"))
                .anyMatch(p -> p.contains("unknown key 'attestation[2].scope'"));
    }

    @Test
    void theDpopTableNamesTiersAndKindsThatMustBeBoundAndTheNonceSwitch() {
        TtlPolicy p = PolicyFile.parse("""
                [dpop]
                required_tiers = ["high", "critical"]
                required_kinds = ["llm"]
                nonce = true
                """, "t");
        assertThat(p.dpop().requiredTiers()).containsExactlyInAnyOrder(Tier.HIGH, Tier.CRITICAL);
        assertThat(p.dpop().requiredKinds()).containsExactly(AgentKind.LLM);
        assertThat(p.dpop().nonce()).isTrue();
        assertThat(p.dpop().requiringBinding(Tier.HIGH, AgentKind.INTERACTIVE))
                .contains("[dpop] required_tiers includes \"high\"");
        assertThat(p.dpop().requiringBinding(Tier.LOW, AgentKind.LLM)).contains("[dpop] required_kinds includes \"llm\"");
        assertThat(p.dpop().requiringBinding(Tier.LOW, AgentKind.INTERACTIVE)).isEmpty();
        // Written out and read back (GET /v1/policy, mayfly policy show) it is the same rule.
        assertThat(PolicyFile.parse(PolicyDocument.toToml(p), "round trip").dpop()).isEqualTo(p.dpop());
        assertThat(TtlPolicy.defaults().dpop().requiringBinding(Tier.CRITICAL, AgentKind.BATCH)).isEmpty();
    }

    @Test
    void aDpopTableWithUnknownNamesOrKeysIsRefused() {
        refused("[dpop]\nrequired_tiers = [\"urgent\"]\n");
        refused("[dpop]\nrequired_kinds = [\"robot\"]\n");
        refused("[dpop]\nrequire_tiers = [\"high\"]\n");
        refused("[dpop]\nnonce = \"yes\"\n");
        refused("dpop = true\n");
    }
}
