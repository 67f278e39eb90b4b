package dev.mayfly.cli.context;

import java.util.List;

/** Every environment variable the CLI reads or sets, in one place (the schema and docs list them from here). */
public final class Variables {
    /** Broker URL. */
    public static final String URL = CliContext.URL_VAR;
    /** State directory: credential cache, admin.json. */
    public static final String HOME = CliContext.HOME_VAR;
    /** An access token that overrides the cache (never refreshed by the CLI). */
    public static final String TOKEN = "MAYFLY_TOKEN";
    /** Client id for {@code auth login}. */
    public static final String CLIENT_ID = "MAYFLY_CLIENT_ID";
    /** Client secret for {@code auth login}. */
    public static final String CLIENT_SECRET = "MAYFLY_CLIENT_SECRET";
    /** Set by {@code mayfly exec} for its child: the loopback credential endpoint. */
    public static final String CREDENTIALS_URL = "MAYFLY_CREDENTIALS_URL";
    /** Set by {@code mayfly exec} for its child: the per-run secret the endpoint requires. */
    public static final String CREDENTIALS_TOKEN = "MAYFLY_CREDENTIALS_TOKEN";
    /** Set by {@code mayfly exec} for its child: the task id of its tokens. */
    public static final String TASK_ID = "MAYFLY_TASK_ID";
    /** Set by {@code mayfly exec} for its child: when the token in MAYFLY_TOKEN expires (ISO-8601). */
    public static final String TOKEN_EXPIRES_AT = "MAYFLY_TOKEN_EXPIRES_AT";
    /** Test-only: a file holding the current instant (see {@link CliClock}). */
    public static final String FAKE_NOW_FILE = CliClock.FAKE_NOW_FILE;

    /** Variables that carry or lead to a credential; {@code mayfly exec} never passes inherited ones on. */
    public static final List<String> CREDENTIAL_BEARING =
            List.of(TOKEN, CLIENT_ID, CLIENT_SECRET, CREDENTIALS_URL, CREDENTIALS_TOKEN, TASK_ID, TOKEN_EXPIRES_AT);

    private Variables() {
    }
}
