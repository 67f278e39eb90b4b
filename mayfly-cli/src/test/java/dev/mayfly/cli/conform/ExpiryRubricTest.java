package dev.mayfly.cli.conform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mayfly.cli.process.ChildResult;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The 0-3 scale on synthetic runs; the black-box test scores real programs. */
class ExpiryRubricTest {
    private static Observation run(int exit, String stdout, String stderr) {
        return Observation.of(new ChildResult(exit, stdout.getBytes(StandardCharsets.UTF_8),
                stderr.getBytes(StandardCharsets.UTF_8), false));
    }

    private static final String FULL = "{\"ok\":false,\"data\":null,\"error\":{\"code\":\"CREDENTIALS_EXPIRED\","
            + "\"message\":\"expired\",\"expired\":true,\"expired_at\":\"2026-11-22T14:15:00Z\",\"retryable\":true,"
            + "\"reauth_command\":\"x auth refresh\",\"reauth_env_var\":\"X_TOKEN\"},\"warnings\":[],\"meta\":{}}";

    @Test
    void forbiddenForExpiryScoresZero() {
        Observation same = run(1, "{\"error\":{\"code\":\"FORBIDDEN\",\"message\":\"permission denied\"}}", "");
        assertThat(ExpiryRubric.score(same, same).score()).isZero();
        assertThat(ExpiryRubric.score(run(1, "", "Error: 403 Forbidden"), null).score()).isZero();
        assertThat(ExpiryRubric.score(run(0, "ok", ""), null).score()).as("did not even fail").isZero();
    }

    @Test
    void expiredInProseOnlyScoresOne() {
        assertThat(ExpiryRubric.score(run(1, "", "Error: your token has expired"), run(1, "", "Error: permission denied"))
                .score()).isEqualTo(1);
    }

    @Test
    void aDistinctCodeWithTimeAndCommandScoresTwo() {
        String two = "{\"ok\":false,\"error\":{\"code\":\"CREDENTIALS_EXPIRED\",\"expired_at\":\"2026-11-22T14:15:00Z\","
                + "\"reauth_command\":\"x auth refresh\"}}";
        assertThat(ExpiryRubric.score(run(1, two, ""), null).score()).isEqualTo(2);
    }

    @Test
    void exitTenRetryableAndTheEnvVarScoreThree() {
        Observation denied = run(8, "{\"ok\":false,\"error\":{\"code\":\"PERMISSION_DENIED\"}}", "");
        ExpiryRubric.Score s = ExpiryRubric.score(run(10, FULL, ""), denied);
        assertThat(s.score()).isEqualTo(3);
        assertThat(s.criteria()).allMatch(c -> Boolean.TRUE.equals(c.held()));
        assertThat(ExpiryRubric.score(run(10, FULL, ""), null).score()).as("denial run not asked for").isEqualTo(3);
        assertThat(ExpiryRubric.score(run(10, FULL, ""), run(1, "{}", "")).score()).as("denial not exit 8").isEqualTo(2);
    }

    @Test
    void expiryThatExitsEightIsIndistinguishable() {
        assertThat(ExpiryRubric.score(run(8, FULL, ""), null).score()).isZero();
    }

    @Test
    void anExplicitNullCommandBesideTheVariableIsTheVariablesRecovery() {
        String viaVariable = FULL.replace("\"x auth refresh\"", "null");
        assertThat(ExpiryRubric.score(run(10, viaVariable, ""), null).score()).isEqualTo(3);
        String noVariable = viaVariable.replace(",\"reauth_env_var\":\"X_TOKEN\"", "");
        assertThat(ExpiryRubric.score(run(10, noVariable, ""), null).score()).as("null, and nothing to re-set").isEqualTo(1);
        String leftOut = FULL.replace("\"reauth_command\":\"x auth refresh\",", "");
        assertThat(ExpiryRubric.score(run(10, leftOut, ""), null).score()).as("not said at all").isEqualTo(1);
    }
}
