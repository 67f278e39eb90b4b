package dev.mayfly.bench.corpus;

/**
 * The kinds of real secret the corpus plants, one per built-in rule family (private keys split by PEM
 * flavour). {@link #mayfly} marks Mayfly's own credentials, whose recall target is 100% in every
 * context; {@link #needsKey} marks secrets only recognisable next to their key name (an AWS secret key,
 * a generic password), which cannot stand alone in a Basic header.
 */
enum SecretType {
    MAYFLY_REFRESH_TOKEN(true, false, "MAYFLY_REFRESH_TOKEN"),
    MAYFLY_CLIENT_SECRET(true, false, "MAYFLY_CLIENT_SECRET"),
    MAYFLY_WEBHOOK_SECRET(true, false, "MAYFLY_WEBHOOK_SECRET"),
    MAYFLY_ACCESS_TOKEN(true, false, "MAYFLY_ACCESS_TOKEN"),
    AWS_ACCESS_KEY_ID(false, false, "AWS_ACCESS_KEY_ID"),
    AWS_SECRET_ACCESS_KEY(false, true, "aws_secret_access_key"),
    GITHUB_CLASSIC(false, false, "GITHUB_TOKEN"),
    GITHUB_FINE_GRAINED(false, false, "GH_TOKEN"),
    GITLAB_PAT(false, false, "GITLAB_TOKEN"),
    SLACK_TOKEN(false, false, "SLACK_BOT_TOKEN"),
    STRIPE_LIVE_KEY(false, false, "STRIPE_SECRET_KEY"),
    OPENAI_API_KEY(false, false, "OPENAI_API_KEY"),
    ANTHROPIC_API_KEY(false, false, "ANTHROPIC_API_KEY"),
    GOOGLE_API_KEY(false, false, "GOOGLE_API_KEY"),
    JWT(false, false, "ID_TOKEN"),
    PEM_PKCS1(false, false, "tls.key"),
    PEM_PKCS8(false, false, "tls.key"),
    PEM_SEC1_EC(false, false, "tls.key"),
    PEM_OPENSSH(false, false, "id_ed25519"),
    GENERIC_PASSWORD(false, true, "DB_PASSWORD"),
    /** A password in a connection URI's userinfo, with {@code @ $ *} in it (issue 24). */
    URI_PASSWORD(false, true, "DATABASE_URL"),
    /** A password sent as HTTP Basic credentials: the header carries base64 of {@code user:password}. */
    BASIC_PASSWORD(false, true, "Authorization"),
    /** A password told in words in a transcript ("the db password is …"). */
    DISCLOSED_PASSWORD(false, true, "password");

    final boolean mayfly;
    final boolean needsKey;
    /** The variable or key name the secret is usually stored under. */
    final String keyName;

    SecretType(boolean mayfly, boolean needsKey, String keyName) {
        this.mayfly = mayfly;
        this.needsKey = needsKey;
        this.keyName = keyName;
    }

    /** Only meaningful inside its own sentence or header: never stored bare under a key (no Kubernetes value). */
    boolean inStatementOnly() {
        return this == BASIC_PASSWORD || this == DISCLOSED_PASSWORD;
    }

    boolean isPem() {
        return name().startsWith("PEM_");
    }

    String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
