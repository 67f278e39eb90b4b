package dev.mayfly.cli.exec;

import dev.mayfly.cli.context.Variables;
import dev.mayfly.client.AccessToken;
import java.util.HashMap;
import java.util.Map;

/**
 * The environment {@code mayfly exec} gives its child: everything inherited except Mayfly's credential
 * variables (the child gets only its task token, not the parent's client secret or session), plus
 * {@code MAYFLY_TOKEN} (the first task token, for programs that read it once), its expiry and task id,
 * and the loopback endpoint (URL and per-run secret) for programs that outlive a token.
 */
final class ChildEnvironment {
    private ChildEnvironment() {
    }

    static Map<String, String> build(Map<String, String> inherited, String brokerUrl, AccessToken first, String taskId,
                                     CredentialEndpoint endpoint) {
        Map<String, String> env = new HashMap<>(inherited);
        Variables.CREDENTIAL_BEARING.forEach(env::remove);
        env.put(Variables.URL, brokerUrl);
        env.put(Variables.TOKEN, first.value().reveal());
        if (first.expiresAt() != null) {
            env.put(Variables.TOKEN_EXPIRES_AT, first.expiresAt().toString());
        }
        if (taskId != null) {
            env.put(Variables.TASK_ID, taskId);
        }
        env.put(Variables.CREDENTIALS_URL, endpoint.url());
        env.put(Variables.CREDENTIALS_TOKEN, endpoint.runSecret().reveal());
        return env;
    }
}
