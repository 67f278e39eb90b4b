package dev.mayfly.cli.blackbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.core.json.Json;
import dev.mayfly.server.testing.BrokerExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What docs/blueprint.md and docs/checklist.md tell people to run, run: the blueprint's policy files pass
 * {@code mayfly policy check}, its patterns' commands do what it says against a real broker, and the
 * incident playbook's commands work in the order it gives them.
 */
class ChecklistIT {
    static final Path DOCS = Path.of("..", "docs");
    private static final Pattern TOML_BLOCK = Pattern.compile("```toml\\n(.*?)```", Pattern.DOTALL);

    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    @TempDir
    static Path dir;

    static Cli cli;
    static Path admin;

    @BeforeAll
    static void setUp() {
        cli = new Cli(broker, dir);
        admin = cli.adminHome();
    }

    static List<String> tomlBlocks(String doc) throws IOException {
        Matcher m = TOML_BLOCK.matcher(Files.readString(DOCS.resolve(doc)));
        List<String> blocks = new ArrayList<>();
        while (m.find()) {
            blocks.add(m.group(1));
        }
        return blocks;
    }

    @Test
    void everyPolicyInTheBlueprintAndThePolicyPagePassesTheLint() throws IOException {
        List<String> blocks = new ArrayList<>(tomlBlocks("blueprint.md"));
        blocks.addAll(tomlBlocks("policy.md"));
        assertThat(blocks).hasSizeGreaterThanOrEqualTo(3);
        int i = 0;
        for (String block : blocks) {
            Path file = Files.writeString(dir.resolve("doc-policy-" + i++ + ".toml"), block);
            JsonNode data = cli.in(admin).run("policy", "check", file.toString()).data();
            assertThat(data.get("findings")).as(block).isEmpty();
        }
        // checklist.md's doctor.toml is a doctor config, not a policy: doctor reads it.
        List<String> doctorConfig = tomlBlocks("checklist.md");
        assertThat(doctorConfig).singleElement().asString().contains("log_paths");
    }

    /** An agent logged in, in its own home, with its secret in a file as the blueprint shows. */
    private Path loggedIn(JsonNode agent, String name) throws IOException {
        Path home = cli.newHome(name);
        Path secret = Files.writeString(home.resolve(name + ".secret"), agent.get("client_secret").asText());
        cli.in(home).run("auth", "login", "--client-id", agent.get("client_id").asText(),
                "--client-secret-file", secret.toString()).data();
        return home;
    }

    @Test
    void theBlueprintsPatternsDoWhatItSays() throws IOException {
        // Interactive: a task token per tool call, scoped, audienced and tagged with its task.
        JsonNode helper = cli.in(admin).run("agent", "create", "helper", "--kind", "interactive", "--scope", "tickets:read",
                "--scope", "tickets:write", "--audience", "https://tickets.example").data();
        Path home = loggedIn(helper, "helper");
        JsonNode task = cli.in(home).run("token", "issue", "--scope", "tickets:read", "--audience", "https://tickets.example",
                "--task", "job-42").data();
        assertThat(task.get("task_id").asText()).isEqualTo("job-42");
        assertThat(task.get("audience").get(0).asText()).isEqualTo("https://tickets.example");

        // Context switch: ending the session revokes every token issued under it, task tokens included.
        String underSession = cli.in(home).run("token", "issue", "--scope", "tickets:write").data().get("access_token").asText();
        assertThat(cli.in(home).env("MAYFLY_TOKEN", underSession).run("whoami").exit()).isZero();
        assertThat(cli.in(home).run("auth", "logout").data().get("effect").asText()).isEqualTo("deleted");
        cli.in(home).env("MAYFLY_TOKEN", underSession).run("whoami").error("CREDENTIALS_REVOKED", 11);

        // Batch: never longer TTLs. A low-tier scope that would live 15m gets the batch cap of 10m.
        JsonNode nightly = cli.in(admin).run("agent", "create", "nightly", "--kind", "batch", "--scope", "reports:read",
                "--scope", "reports:write").data();
        Path batch = loggedIn(nightly, "nightly");
        JsonNode capped = cli.in(batch).run("token", "issue", "--scope", "reports:read", "--ttl", "1h").data();
        assertThat(capped.get("expires_in").asLong()).isEqualTo(600);
        CliResult perTask = cli.in(batch).run("exec", "--scope", "reports:write", "--task", "nightly-1", "--",
                "sh", "-c", "test -n \"$MAYFLY_TOKEN\" && test \"$MAYFLY_TASK_ID\" = nightly-1");
        assertThat(perTask.exit()).as(perTask.stderr()).isZero();

        // High privilege: asked per task, shorter still.
        JsonNode payer = cli.in(admin).run("agent", "create", "payer", "--scope", "payments:transfer",
                "--audience", "https://payments.partner.example").data();
        JsonNode refund = cli.in(loggedIn(payer, "payer")).run("token", "issue", "--scope", "payments:transfer",
                "--audience", "https://payments.partner.example", "--task", "refund-981", "--ttl", "90s").data();
        assertThat(refund.get("expires_in").asLong()).isEqualTo(90);

        // LLM-adjacent: kind llm; revoking the session from another process has the same effect as logout.
        JsonNode retriever = cli.in(admin).run("agent", "create", "retriever", "--kind", "llm", "--scope", "memory:read",
                "--scope", "memory:write").data();
        Path llm = loggedIn(retriever, "retriever");
        JsonNode memoryToken = cli.in(llm).run("token", "issue", "--scope", "memory:read").data();
        cli.in(llm).run("token", "revoke", "--session", memoryToken.get("session_id").asText(), "--reason", "context switch").data();
        cli.in(llm).env("MAYFLY_TOKEN", memoryToken.get("access_token").asText()).run("whoami").error("CREDENTIALS_REVOKED", 11);
    }

    @Test
    void theIncidentPlaybookInItsOrder() throws IOException {
        JsonNode victim = cli.createAgent("victim", List.of("reports:read"), List.of());
        Path home = cli.newHome("victim");
        cli.login(home, victim);
        String leaked = cli.in(home).run("token", "issue", "--scope", "reports:read").data().get("access_token").asText();
        String since = broker.clock().instant().minusSeconds(60).toString();

        // 1. Identify it without using it.
        JsonNode inspected = cli.in(admin).stdin(leaked).run("token", "inspect").data();
        assertThat(inspected.get("status").asText()).isEqualTo("active");
        String session = inspected.at("/claims/sid").asText();
        String agent = inspected.at("/claims/sub").asText();
        assertThat(agent).isEqualTo(victim.get("agent_id").asText());

        // 2. Revoke at the granularity of the leak: the session.
        JsonNode revoked = cli.in(admin).run("token", "revoke", "--admin", "--session", session,
                "--reason", "token leaked in CI log").data();
        long seq = revoked.get("seq").asLong();

        // 3. Confirm it propagated.
        CliResult watch = cli.in(admin).run("revocations", "watch", "--since", Long.toString(seq - 1), "--max-events", "1");
        assertThat(watch.exit()).as(watch.stderr()).isZero();
        JsonNode event = Json.mapper().readTree(watch.stdout().strip().lines().findFirst().orElseThrow());
        assertThat(event.at("/data/target").asText()).isEqualTo(session);
        assertThat(cli.in(admin).stdin(leaked).run("token", "inspect").data().get("status").asText()).isEqualTo("revoked");
        CliResult doctor = cli.in(admin).run("doctor", "--no-canary");
        assertThat(doctor.data().get("failed").asInt()).isZero();

        // 4. Find out what it did.
        JsonNode records = cli.in(admin).run("audit", "--session", session).data().get("records");
        assertThat(records.findValuesAsText("event")).contains("session.started", "token.exchanged");
        JsonNode byAgent = cli.in(admin).run("audit", "--agent", agent, "--since", since).data().get("records");
        assertThat(byAgent.findValuesAsText("event")).contains("token.exchanged");
        assertThat(cli.in(admin).run("audit", "verify").data().get("valid").asBoolean()).isTrue();

        // 5. Find the other copies: a fresh token of the same agent sits in a CI log; scan --revoke kills it.
        cli.login(home, victim);
        String copy = cli.in(home).run("token", "issue", "--scope", "reports:read").data().get("access_token").asText();
        Path ciLog = dir.resolve("ci-artifacts").resolve("build.log");
        Files.createDirectories(ciLog.getParent());
        Files.writeString(ciLog, "step 3: curl -H 'Authorization: Bearer " + copy + "' https://reports.internal/\n");
        CliResult found = cli.in(admin).run("scan", "--revoke", ciLog.getParent().toString());
        assertThat(found.stdout() + found.stderr()).doesNotContain(copy);
        assertThat(found.failureWithData("CONFLICT", 6).at("/data/revocation/revoked").asInt()).isEqualTo(1);
        cli.in(home).env("MAYFLY_TOKEN", copy).run("whoami").error("CREDENTIALS_REVOKED", 11);

        // 6. Close the hole: the log line, masked.
        CliResult masked = cli.in(admin).run("redact", ciLog.toString());
        assertThat(masked.exit()).as(masked.stderr()).isZero();
        assertThat(masked.stdout()).contains("step 3: curl").doesNotContain(copy);

        // 2, for a task, and for a leaked client secret: the task, then the agent.
        cli.login(home, victim);
        JsonNode task = cli.in(home).run("token", "issue", "--scope", "reports:read", "--task", "leak-task").data();
        // Task ids are scoped to their agent: the admin names whose task it is; a bare task id is refused.
        cli.in(admin).run("token", "revoke", "--admin", "--task", "leak-task", "--reason", "task token leaked")
                .error("USAGE", 2);
        cli.in(admin).run("token", "revoke", "--admin", "--task", "leak-task", "--task-agent", agent,
                "--reason", "task token leaked").data();
        cli.in(home).env("MAYFLY_TOKEN", task.get("access_token").asText()).run("whoami").error("CREDENTIALS_REVOKED", 11);
        cli.in(admin).run("agent", "disable", agent, "--reason", "client secret leaked").data();
        CliResult again = cli.in(cli.newHome("victim-again")).env("MAYFLY_CLIENT_ID", victim.get("client_id").asText())
                .env("MAYFLY_CLIENT_SECRET", victim.get("client_secret").asText())
                .run("auth", "login");
        assertThat(again.envelope().at("/error/code").asText()).startsWith("CREDENTIALS_");
        assertThat(again.exit()).isEqualTo(11);
    }
}
