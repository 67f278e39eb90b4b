package dev.mayfly.cli.blackbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.core.json.Json;
import dev.mayfly.server.testing.BrokerClient;
import dev.mayfly.server.testing.BrokerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every auth outcome of the shared contract, through the shaded jar against a real broker: the envelope and
 * the exit code of success, auto-refresh, expiry (token and session), MAYFLY_TOKEN, revoked, invalid,
 * missing and denied, plus login, status and logout.
 */
class AuthOutcomesIT {
    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    @TempDir
    static Path dir;

    static Cli cli;
    static JsonNode agent;

    @BeforeAll
    static void setUp() {
        cli = new Cli(broker, dir);
        agent = cli.createAgent("auth-agent", List.of("orders:read", "mayfly:revoke"), List.of("https://orders.example"));
    }

    /** How far to move time so the broker (30 s leeway) calls the token expired. */
    static Duration pastExpiry(JsonNode login) {
        return Duration.between(broker.clock().instant(), Instant.parse(login.get("expires_at").asText())).plusSeconds(31);
    }

    @Test
    void loginThenWhoamiNamesTheAgentAndTheCacheIsPrivate() throws Exception {
        Path home = cli.newHome("whoami");
        CliResult login = cli.in(home).env("MAYFLY_CLIENT_ID", agent.get("client_id").asText())
                .env("MAYFLY_CLIENT_SECRET", agent.get("client_secret").asText()).run("auth", "login");
        JsonNode session = login.data();
        login.assertNoSecrets();
        assertThat(session.get("agent_id").asText()).isEqualTo(agent.get("agent_id").asText());
        assertThat(session.get("session_id").asText()).startsWith("ses_");
        assertThat(session.get("expires_in_s").asLong()).isPositive();

        CliResult whoami = cli.in(home).run("whoami");
        JsonNode data = whoami.data();
        whoami.assertNoSecrets();
        assertThat(data.get("agent_id").asText()).isEqualTo(agent.get("agent_id").asText());
        assertThat(data.get("credential_source").asText()).isEqualTo("cache");
        assertThat(whoami.warnings()).isEmpty();

        Path cache = home.resolve("credentials.json");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cache))).isEqualTo("rw-------");
        assertThat(Files.readString(cache)).contains("mfy_rt_").doesNotContain(agent.get("client_secret").asText());
    }

    @Test
    void anExpiredCachedTokenIsRefreshedAndTheWarningSaysSo() {
        Path home = cli.newHome("auto-refresh");
        JsonNode login = cli.login(home, agent);
        String firstJti = cli.in(home).run("whoami").data().get("jti").asText();
        cli.advance(pastExpiry(login));

        CliResult r = cli.in(home).run("whoami");
        JsonNode data = r.data();
        assertThat(data.get("jti").asText()).isNotEqualTo(firstJti);
        assertThat(data.get("session_id").asText()).isEqualTo(login.get("session_id").asText());
        assertThat(r.warnings()).hasSize(1);
        assertThat(r.warnings().get(0).asText()).contains("expired at " + login.get("expires_at").asText()).contains("refreshed");
        assertThat(cli.in(home).run("whoami").warnings()).as("refreshed once, then fresh").isEmpty();
    }

    @Test
    void withoutAutoRefreshAnExpiredTokenIsExitTenWithEverythingNeededToRecover() {
        Path home = cli.newHome("no-auto-refresh");
        JsonNode login = cli.login(home, agent);
        cli.advance(pastExpiry(login));

        JsonNode e = cli.in(home).run("whoami", "--no-auto-refresh").error("CREDENTIALS_EXPIRED", 10);
        assertThat(e.get("expired").asBoolean()).isTrue();
        assertThat(e.get("expired_at").asText()).isEqualTo(login.get("expires_at").asText());
        assertThat(e.get("retryable").asBoolean()).isTrue();
        assertThat(e.get("reauth_command").asText()).isEqualTo("mayfly auth refresh");
        assertThat(e.get("reauth_env_var").asText()).isEqualTo("MAYFLY_TOKEN");

        JsonNode refreshed = cli.in(home).run("auth", "refresh").data();
        assertThat(Instant.parse(refreshed.get("expires_at").asText())).isAfter(broker.clock().instant());
        assertThat(cli.in(home).run("whoami", "--no-auto-refresh").data().get("agent_id").asText())
                .isEqualTo(agent.get("agent_id").asText());
    }

    @Test
    void anExpiredSessionIsExitTenAndOnlyLoginRecovers() {
        Path home = cli.newHome("session-expired");
        JsonNode login = cli.login(home, agent);
        cli.advance(Duration.ofMinutes(31));

        JsonNode e = cli.in(home).run("whoami").error("CREDENTIALS_EXPIRED", 10);
        assertThat(e.get("reauth_command").asText()).isEqualTo("mayfly auth login");
        assertThat(e.get("retryable").asBoolean()).isTrue();
        assertThat(Instant.parse(e.get("expired_at").asText()))
                .isEqualTo(Instant.parse(login.get("session_expires_at").asText()));
        assertThat(cli.in(home).run("auth", "refresh").error("CREDENTIALS_EXPIRED", 10).get("reauth_command").asText())
                .isEqualTo("mayfly auth login");

        JsonNode status = cli.in(home).run("auth", "status").data();
        assertThat(status.get("refreshable").asBoolean()).isFalse();
        cli.login(home, agent);
        assertThat(cli.in(home).run("whoami").exit()).isZero();
    }

    @Test
    void mayflyTokenOverridesTheCacheAndIsNeverRefreshed() {
        Path home = cli.newHome("env-token");
        cli.login(home, agent);
        JsonNode other = cli.createAgent("env-agent", List.of("orders:read"), List.of("https://orders.example"));
        BrokerClient.Response r = broker.client().login(other.get("client_id").asText(), other.get("client_secret").asText());
        String token = r.body().get("access_token").asText();

        JsonNode data = cli.in(home).env("MAYFLY_TOKEN", token).run("whoami").data();
        assertThat(data.get("agent_id").asText()).isEqualTo(other.get("agent_id").asText());
        assertThat(data.get("credential_source").asText()).isEqualTo("MAYFLY_TOKEN");

        cli.advance(Duration.ofSeconds(r.body().get("expires_in").asLong() + 31));
        CliResult expired = cli.in(home).env("MAYFLY_TOKEN", token).run("whoami");
        JsonNode e = expired.error("CREDENTIALS_EXPIRED", 10);
        expired.assertNoSecrets();
        assertThat(expired.warnings()).as("nothing was refreshed").isEmpty();
        assertThat(e.get("credential_source").asText()).isEqualTo("MAYFLY_TOKEN");
        // No command can recover in place (a retry reads the same stale variable): null, and the variable named.
        assertThat(e.get("reauth_command").isNull()).as("reauth_command of " + e).isTrue();
        assertThat(e.get("reauth_env_var").asText()).isEqualTo("MAYFLY_TOKEN");
        assertThat(e.get("fix_required").asText())
                .contains("export MAYFLY_TOKEN=$(env -u MAYFLY_TOKEN mayfly token issue --scope orders:read");
        assertThat(e.get("expired_at").asText()).isNotBlank();
        assertThat(e.get("retryable").asBoolean()).isTrue();

        // The CLI Agent Spec §53 workaround, as 'mayfly run' does it: nothing to run, so no retry loop.
        CliResult run = cli.in(home).env("MAYFLY_TOKEN", token).run("run", "--", "mayfly", "whoami");
        assertThat(run.exit()).isEqualTo(10);
        assertThat(run.stdout() + run.stderr()).contains("re-set MAYFLY_TOKEN");
        // The reissue that fix_required gives works as written once the variable is out of the way.
        assertThat(cli.in(home).run("token", "issue", "--scope", "orders:read").exit()).isZero();
    }

    @Test
    void aRevokedSessionIsExitElevenAndNotRetried() {
        Path home = cli.newHome("revoked");
        JsonNode login = cli.login(home, agent);
        JsonNode revocation = cli.in(home).run("token", "revoke", "--session", login.get("session_id").asText(),
                "--reason", "test").data();
        assertThat(revocation.get("kind").asText()).isEqualTo("session");

        CliResult r = cli.in(home).run("whoami");
        JsonNode e = r.error("CREDENTIALS_REVOKED", 11);
        assertThat(e.get("retryable").asBoolean()).isFalse();
        assertThat(r.warnings()).as("a revocation is final: no refresh").isEmpty();
    }

    @Test
    void aGarbledTokenIsInvalidExitEleven() {
        Path home = cli.newHome("invalid");
        JsonNode e = cli.in(home).env("MAYFLY_TOKEN", "not-a-token").run("whoami").error("CREDENTIALS_INVALID", 11);
        assertThat(e.get("retryable").asBoolean()).isFalse();
    }

    @Test
    void noCredentialAtAllIsMissingExitFour() {
        JsonNode e = cli.in(cli.newHome("missing")).run("whoami").error("CREDENTIALS_MISSING", 4);
        assertThat(e.get("reauth_command").asText()).isEqualTo("mayfly auth login");
        assertThat(e.get("auth_methods")).isNotEmpty();
    }

    @Test
    void aPermanentDenialIsExitEightWithTheMissingScope() {
        Path home = cli.newHome("denied");
        cli.login(home, agent);
        JsonNode e = cli.in(home).run("agent", "list").error("PERMISSION_DENIED", 8);
        assertThat(e.get("required_scope").asText()).isEqualTo("mayfly:admin");
        assertThat(e.get("reauth_command").isNull()).isTrue();
        assertThat(e.get("retryable").asBoolean()).isFalse();

        JsonNode scope = cli.in(home).run("token", "issue", "--scope", "orders:write").error("PERMISSION_DENIED", 8);
        assertThat(scope.get("missing_scopes").get(0).asText()).isEqualTo("orders:write");
    }

    @Test
    void statusShowsTheCredentialAndWarnsCloseToExpiry() {
        Path home = cli.newHome("status");
        JsonNode login = cli.login(home, agent);
        JsonNode s = cli.in(home).run("auth", "status").data();
        assertThat(s.get("logged_in").asBoolean()).isTrue();
        assertThat(s.get("credential_source").asText()).isEqualTo("cache");
        assertThat(s.get("expires_at").asText()).isEqualTo(login.get("expires_at").asText());
        assertThat(s.get("expires_in_s").asLong()).isPositive();
        assertThat(s.get("refreshable").asBoolean()).isTrue();
        assertThat(s.get("scopes")).hasSize(2);

        cli.advance(Duration.between(broker.clock().instant(), Instant.parse(login.get("expires_at").asText())).minusSeconds(30));
        CliResult soon = cli.in(home).run("auth", "status");
        assertThat(soon.data().get("expires_in_s").asLong()).isEqualTo(30);
        assertThat(soon.warnings().toString()).contains("expires in 30s");

        JsonNode out = cli.in(cli.newHome("status-none")).run("auth", "status").data();
        assertThat(out.get("logged_in").asBoolean()).isFalse();
    }

    @Test
    void logoutEndsTheSessionAtTheBrokerAndIsIdempotent() throws Exception {
        Path home = cli.newHome("logout");
        cli.login(home, agent);
        String url = broker.issuer();
        String refreshToken = Json.mapper().readTree(home.resolve("credentials.json").toFile())
                .at("/sessions").get(url).get("refresh_token").asText();

        assertThat(cli.in(home).run("auth", "logout").data().get("effect").asText()).isEqualTo("deleted");
        cli.in(home).run("whoami").error("CREDENTIALS_MISSING", 4);
        BrokerClient.Response refresh = broker.client().refresh(refreshToken);
        assertThat(refresh.status()).isEqualTo(400);
        assertThat(refresh.body().get("code").asText()).isEqualTo("CREDENTIALS_REVOKED");
        assertThat(cli.in(home).run("auth", "logout").data().get("effect").asText()).isEqualTo("noop");
    }

    @Test
    void theSecretComesFromAFileOrStdinAndAWrongOneIsNeverEchoed() throws Exception {
        String id = agent.get("client_id").asText();
        Path secretFile = dir.resolve("secret");
        Files.writeString(secretFile, agent.get("client_secret").asText() + "\n");
        Files.setPosixFilePermissions(secretFile, PosixFilePermissions.fromString("rw-------"));
        cli.in(cli.newHome("file")).env("MAYFLY_CLIENT_ID", id).run("auth", "login", "--client-secret-file", secretFile.toString()).data();
        cli.in(cli.newHome("stdin")).env("MAYFLY_CLIENT_ID", id).stdin(agent.get("client_secret").asText())
                .run("auth", "login", "--client-secret-stdin").data();

        String wrong = "mfy_cs_" + "A".repeat(32) + "000000";
        CliResult bad = cli.in(cli.newHome("wrong")).env("MAYFLY_CLIENT_ID", id).env("MAYFLY_CLIENT_SECRET", wrong)
                .run("auth", "login");
        bad.error("CREDENTIALS_INVALID", 11);
        assertThat(bad.stdout() + bad.stderr()).doesNotContain(wrong).doesNotContain("A".repeat(32));

        JsonNode none = cli.in(cli.newHome("none")).env("MAYFLY_CLIENT_ID", id).run("auth", "login").error("PRECONDITION", 4);
        assertThat(none.get("message").asText()).contains("MAYFLY_CLIENT_SECRET");
    }

    @Test
    void taskTokensAreIssuedInspectedAndRevoked() {
        Path home = cli.newHome("tokens");
        cli.login(home, agent);
        CliResult issued = cli.in(home).run("token", "issue", "--scope", "orders:read", "--audience",
                "https://orders.example", "--task", "job-42", "--ttl", "2m");
        JsonNode t = issued.data();
        assertThat(t.get("task_id").asText()).isEqualTo("job-42");
        assertThat(t.get("expires_in").asLong()).isLessThanOrEqualTo(120);
        assertThat(t.get("audience").toString()).contains("https://orders.example");
        String token = t.get("access_token").asText();

        CliResult inspected = cli.in(home).stdin(token).run("token", "inspect");
        JsonNode live = inspected.data();
        inspected.assertNoSecrets();
        assertThat(live.get("status").asText()).isEqualTo("active");
        assertThat(live.at("/claims/task").asText()).isEqualTo("job-42");
        assertThat(live.get("source").asText()).isEqualTo("stdin");

        cli.in(home).run("token", "revoke", "--task", "job-42").data();
        JsonNode revoked = cli.in(home).env("MAYFLY_TOKEN", token).run("token", "inspect").data();
        assertThat(revoked.get("status").asText()).isEqualTo("revoked");
        assertThat(revoked.at("/status_error/code").asText()).isEqualTo("CREDENTIALS_REVOKED");
        cli.in(home).env("MAYFLY_TOKEN", token).run("whoami").error("CREDENTIALS_REVOKED", 11);

        CliResult fresh = cli.in(home).run("token", "issue", "--scope", "orders:read", "--ttl", "1m");
        String shortLived = fresh.data().get("access_token").asText();
        cli.advance(Duration.ofSeconds(95));
        assertThat(cli.in(home).env("MAYFLY_TOKEN", shortLived).run("token", "inspect").data().get("status").asText())
                .isEqualTo("expired");
    }
}
