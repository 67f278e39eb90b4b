package dev.mayfly.cli.policy;

import dev.mayfly.cli.context.CliCommand;
import dev.mayfly.cli.output.Output;
import dev.mayfly.cli.schema.Outcomes;
import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyError;
import dev.mayfly.policy.PolicyDocument;
import dev.mayfly.policy.PolicyFile;
import dev.mayfly.policy.PolicyLint;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code mayfly policy check FILE}: lints a policy file offline. Any error-level finding (the broker would
 * refuse the file, a high-privilege scope over 5 minutes, batch agents with long tokens) exits 4
 * ({@code PRECONDITION}) with the findings still in {@code data}; warnings alone exit 0 and are listed in
 * the envelope's {@code warnings}.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Lint a TOML policy file: the rules the broker enforces at start, plus the checklist's "
                + "(no high-privilege scope over 5m, batch agents without long TTLs, sessions over 1h warned).",
                "Exit 4 (PRECONDITION) on any error, with data.findings; warnings alone exit 0."})
@Outcomes(data = "file, valid, findings[] (rule, severity, message), policy (the effective policy, when the file reads)",
        errors = {ErrorCode.PRECONDITION})
public final class CheckPolicyCommand extends CliCommand {
    @Parameters(index = "0", paramLabel = "FILE", description = "The policy file (TOML), as given to 'mayfly server --policy'.")
    Path file;

    @Override
    protected int execute(Output out) {
        String toml = PolicyText.read(file);
        List<PolicyLint.Finding> findings = PolicyLint.lintToml(toml, file.toString());
        boolean valid = findings.stream().noneMatch(PolicyLint.Finding::error);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("file", file.toString());
        data.put("valid", valid);
        data.put("findings", PolicyText.view(findings));
        boolean reads = findings.stream().noneMatch(f -> f.rule().equals("invalid"));
        data.put("policy", reads ? PolicyDocument.toMap(PolicyFile.parse(toml, file.toString())) : null);
        findings.stream().filter(f -> !f.error()).forEach(f -> out.warn(f.rule() + ": " + f.message()));
        if (!valid) {
            long errors = findings.stream().filter(PolicyLint.Finding::error).count();
            MayflyError error = MayflyError.builder(ErrorCode.PRECONDITION, file + " fails the policy lint: " + errors
                            + (errors == 1 ? " error" : " errors") + " (" + findings.stream().filter(PolicyLint.Finding::error)
                            .map(PolicyLint.Finding::message).findFirst().orElse("") + (errors > 1 ? "; ..." : "") + ").")
                    .build();
            return out.fail(error, data, p -> {
                p.printf("%s: %d finding(s)%n", file, findings.size());
                PolicyText.print(p, findings);
            });
        }
        return out.ok(data, p -> {
            p.printf("%s: ok%s%n", file, findings.isEmpty() ? "" : " with " + findings.size() + " warning(s)");
            PolicyText.print(p, findings);
        });
    }
}
