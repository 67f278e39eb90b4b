package dev.mayfly.cli.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.cli.policy.PolicyText;
import dev.mayfly.core.policy.AgentKind;
import dev.mayfly.policy.PolicyLint;
import dev.mayfly.core.policy.TtlPolicy;
import dev.mayfly.core.time.Durations;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The broker's effective policy ({@code GET /v1/policy}) through the same lint as {@code mayfly policy
 * check}, with the scopes its enabled agents actually hold probed too: an error fails, a warning warns.
 */
final class PolicyLintCheck implements Check {
    static final String ID = "policy";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public CheckResult run(Deployment d) {
        TtlPolicy policy = d.policy();
        Set<String> granted = new LinkedHashSet<>();
        int batchAgents = 0;
        for (JsonNode agent : d.agents()) {
            if (agent.path("disabled").asBoolean()) {
                continue;
            }
            agent.path("scopes").forEach(s -> granted.add(s.asText()));
            if (AgentKind.BATCH.wireName().equals(agent.path("kind").asText())) {
                batchAgents++;
            }
        }
        List<PolicyLint.Finding> findings = PolicyLint.lint(policy, granted);
        Evidence e = Evidence.of().with("findings", PolicyText.view(findings)).with("scopes_probed", granted.size())
                .with("batch_agents", batchAgents)
                .with("longest_batch_ttl", Durations.format(PolicyLint.longestFor(policy, AgentKind.BATCH)))
                .with("session_max", Durations.format(policy.sessionMax()));
        List<PolicyLint.Finding> errors = findings.stream().filter(PolicyLint.Finding::error).toList();
        if (!errors.isEmpty()) {
            return CheckResult.fail(ID, errors.size() + " policy error(s): " + errors.get(0).message()
                    + (errors.size() > 1 ? "; ..." : "") + ".", e);
        }
        if (!findings.isEmpty()) {
            return CheckResult.warn(ID, findings.get(0).message() + ".", e);
        }
        return CheckResult.pass(ID, "No high-privilege scope over 5m, batch tokens at most "
                + Durations.format(PolicyLint.longestFor(policy, AgentKind.BATCH)) + ", " + granted.size()
                + " granted scope(s) probed.", e);
    }
}
