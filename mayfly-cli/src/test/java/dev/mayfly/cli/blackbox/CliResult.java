package dev.mayfly.cli.blackbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.core.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.regex.Pattern;

/** One finished run of the jar: exit code, stdout, stderr; the envelope checked for its contract on access. */
record CliResult(int exit, String stdout, String stderr) {
    /** A refresh token, client secret or JWT: none may appear where the command did not mean to show one. */
    static final Pattern SECRET = Pattern.compile("mfy_(rt|cs|wh)_[0-9A-Za-z]{38}|eyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}");

    /** The one envelope on stdout, with all five keys and {@code ok} true exactly when the exit code is 0. */
    JsonNode envelope() {
        String out = stdout.strip();
        assertThat(out.lines()).as("exactly one envelope on stdout (exit %s); stderr was:%n%s", exit, stderr).hasSize(1);
        JsonNode env;
        try {
            env = Json.mapper().readTree(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(env.fieldNames()).toIterable().containsExactly("ok", "data", "error", "warnings", "meta");
        assertThat(env.get("ok").asBoolean()).as("ok is true exactly when the exit code is 0 (exit %s, stderr %s)", exit, stderr)
                .isEqualTo(exit == 0);
        assertThat(env.at("/meta/schema_version").asText()).isEqualTo("1");
        assertThat(env.at("/meta/request_id").asText()).startsWith("req_");
        return env;
    }

    JsonNode data() {
        JsonNode env = envelope();
        assertThat(exit).as("exit code; stdout %s%nstderr %s", stdout, stderr).isZero();
        return env.get("data");
    }

    /** The error, after checking the exit code and the fields every auth error carries. */
    JsonNode error(String code, int exitCode) {
        JsonNode env = envelope();
        assertThat(exit).as("exit code; stdout %s%nstderr %s", stdout, stderr).isEqualTo(exitCode);
        JsonNode e = env.get("error");
        assertThat(e.path("code").asText()).isEqualTo(code);
        assertThat(env.get("data").isNull()).isTrue();
        if (code.startsWith("CREDENTIALS_") || code.equals("PERMISSION_DENIED")) {
            assertThat(e.has("reauth_command")).as("auth errors always carry reauth_command").isTrue();
            assertThat(e.path("reauth_env_var").asText()).isEqualTo("MAYFLY_TOKEN");
        }
        return e;
    }

    /**
     * A failure that still carries {@code data} ({@code mayfly scan}'s report): the envelope, after checking the
     * exit code, the error code and that {@code data} is there.
     */
    JsonNode failureWithData(String code, int exitCode) {
        JsonNode env = envelope();
        assertThat(exit).as("exit code; stdout %s%nstderr %s", stdout, stderr).isEqualTo(exitCode);
        assertThat(env.at("/error/code").asText()).isEqualTo(code);
        assertThat(env.get("data").isObject()).as("data carries the result").isTrue();
        return env;
    }

    JsonNode warnings() {
        return envelope().get("warnings");
    }

    void assertNoSecrets() {
        assertThat(SECRET.matcher(stdout).find()).as("no secret on stdout: %s", stdout).isFalse();
        assertThat(SECRET.matcher(stderr).find()).as("no secret on stderr: %s", stderr).isFalse();
    }
}
