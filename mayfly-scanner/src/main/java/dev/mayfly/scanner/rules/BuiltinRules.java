package dev.mayfly.scanner.rules;

import dev.mayfly.core.secret.OpaqueSecret;
import dev.mayfly.core.secret.SecretKind;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The rules Mayfly ships: its own formats first (checksummed opaque secrets and access tokens), then the
 * credentials agents most often carry. Ids follow gitleaks where gitleaks has the same rule, so a
 * gitleaks rule file can replace one by id. Every rule has a validator; see docs/scanner.md.
 */
public final class BuiltinRules {
    public static final String MAYFLY_REFRESH_TOKEN = "mayfly-refresh-token";
    public static final String MAYFLY_CLIENT_SECRET = "mayfly-client-secret";
    public static final String MAYFLY_WEBHOOK_SECRET = "mayfly-webhook-secret";
    public static final String MAYFLY_ACCESS_TOKEN = "mayfly-access-token";
    public static final String AWS_ACCESS_KEY_ID = "aws-access-token";
    public static final String AWS_SECRET_ACCESS_KEY = "aws-secret-access-key";
    public static final String GITHUB_PAT = "github-pat";
    public static final String GITHUB_OAUTH = "github-oauth";
    public static final String GITHUB_APP_TOKEN = "github-app-token";
    public static final String GITHUB_REFRESH_TOKEN = "github-refresh-token";
    public static final String GITHUB_FINE_GRAINED_PAT = "github-fine-grained-pat";
    public static final String GITLAB_PAT = "gitlab-pat";
    public static final String SLACK_TOKEN = "slack-token";
    public static final String SLACK_WEBHOOK = "slack-webhook-url";
    public static final String STRIPE_KEY = "stripe-access-token";
    public static final String OPENAI_KEY = "openai-api-key";
    public static final String ANTHROPIC_KEY = "anthropic-api-key";
    public static final String GOOGLE_API_KEY = "gcp-api-key";
    public static final String PRIVATE_KEY = "private-key";
    public static final String JWT = "jwt";
    public static final String URI_PASSWORD = "uri-password";
    public static final String HTTP_AUTHORIZATION = "http-authorization";
    public static final String DISCLOSED_SECRET = "disclosed-secret";
    public static final String GENERIC = "generic-api-key";

    /** Compact JWS: a JSON header ({@code eyJ}), a payload, a signature of at least 16 characters. */
    static final String JWT_REGEX =
            "eyJ[A-Za-z0-9_\\-]{8,4000}\\.e[wy][A-Za-z0-9_\\-]{8,8000}\\.[A-Za-z0-9_\\-]{16,1400}";

    private static final RuleSet ALL = RuleSet.of(List.of(
            opaque(MAYFLY_REFRESH_TOKEN, SecretKind.REFRESH_TOKEN, "Mayfly refresh token"),
            opaque(MAYFLY_CLIENT_SECRET, SecretKind.CLIENT_SECRET, "Mayfly agent client secret"),
            opaque(MAYFLY_WEBHOOK_SECRET, SecretKind.WEBHOOK_SECRET, "Mayfly webhook secret"),
            Rule.builder(MAYFLY_ACCESS_TOKEN).description("Mayfly access token (JWT, typ at+jwt)")
                    .kind("mayfly_access_token").regex(JWT_REGEX)
                    .check(SecretCheck.because("not a Mayfly access token (typ at+jwt with this issuer)",
                            c -> JwtInspector.parse(c.secret())
                                    .map(j -> JwtInspector.isMayfly(j, c.mayflyIssuer())).orElse(false)))
                    .tags(List.of("mayfly")).build(),
            Rule.builder(AWS_ACCESS_KEY_ID).description("AWS access key id").kind("aws_access_key_id")
                    .regex("(?<![A-Za-z0-9])(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}(?![A-Za-z0-9])")
                    .check(Placeholders.rejecting()).build(),
            Rule.builder(AWS_SECRET_ACCESS_KEY).description("AWS secret access key").kind("aws_secret_access_key")
                    .regex("(?i)(?<![a-z0-9])(?:aws[_.\\-]?)?secret[_.\\-]?(?:access[_.\\-]?)?key[\"']?\\s{0,4}"
                            + "(?::=|=>|=|:)\\s{0,4}[\"']?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])")
                    .secretGroup(1)
                    .check(Placeholders.rejecting().and(SecretCheck.because("entropy below 3.50, or hex only",
                            c -> c.entropy() >= 3.5 && !isHex(c.secret()))))
                    .build(),
            github(GITHUB_PAT, "ghp_", "GitHub personal access token (classic)", "github_pat"),
            github(GITHUB_OAUTH, "gho_", "GitHub OAuth access token", "github_oauth_token"),
            github(GITHUB_APP_TOKEN, "gh[us]_", "GitHub App user-to-server or server-to-server token",
                    "github_app_token"),
            github(GITHUB_REFRESH_TOKEN, "ghr_", "GitHub refresh token", "github_refresh_token"),
            Rule.builder(GITHUB_FINE_GRAINED_PAT).description("GitHub fine-grained personal access token")
                    .kind("github_fine_grained_pat")
                    .regex("github_pat_[0-9A-Za-z]{22}_[0-9A-Za-z]{59}(?![0-9A-Za-z])")
                    .check(Placeholders.rejecting()).build(),
            Rule.builder(GITLAB_PAT).description("GitLab personal access token").kind("gitlab_pat")
                    .regex("glpat-[0-9A-Za-z_\\-]{20,300}(?:\\.[0-9A-Za-z_\\-.]{2,30})?(?![0-9A-Za-z_\\-])")
                    .check(Placeholders.rejecting().and(SecretCheck.because("entropy below 3.00",
                            c -> c.entropy() >= 3.0))).build(),
            Rule.builder(SLACK_TOKEN).description("Slack token").kind("slack_token")
                    .regex("(?:xox[bpars]|xapp)-(?:[0-9A-Za-z]{1,40}-){1,5}[0-9A-Za-z]{8,64}(?![0-9A-Za-z\\-])")
                    .check(Placeholders.rejecting().and(SecretCheck.because("no digit",
                            c -> hasDigit(c.secret())))).build(),
            Rule.builder(SLACK_WEBHOOK).description("Slack incoming webhook URL").kind("slack_webhook_url")
                    .regex("https://hooks\\.slack\\.com/(?:services|workflows|triggers)/[A-Za-z0-9_/+\\-]{20,120}")
                    .check(Placeholders.rejecting()).build(),
            Rule.builder(STRIPE_KEY).description("Stripe live secret or restricted key").kind("stripe_live_key")
                    .regex("(?:sk|rk)_live_[0-9A-Za-z]{20,247}(?![0-9A-Za-z])")
                    .check(Placeholders.rejecting()).build(),
            Rule.builder(OPENAI_KEY).description("OpenAI API key").kind("openai_api_key")
                    .regex("sk-(?:proj|svcacct|admin)-[A-Za-z0-9_\\-]{20,250}(?![A-Za-z0-9_\\-])"
                            + "|sk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}(?![A-Za-z0-9])")
                    .check(Placeholders.rejecting().and(SecretCheck.because("entropy below 3.50", c -> c.entropy() >= 3.5))).build(),
            Rule.builder(ANTHROPIC_KEY).description("Anthropic API key").kind("anthropic_api_key")
                    .regex("sk-ant-(?:api|admin|oat|ort|sid)[0-9]{2}-[A-Za-z0-9_\\-]{32,200}(?![A-Za-z0-9_\\-])")
                    .check(Placeholders.rejecting().and(SecretCheck.because("entropy below 3.50", c -> c.entropy() >= 3.5))).build(),
            Rule.builder(GOOGLE_API_KEY).description("Google API key").kind("google_api_key")
                    .regex("AIza[0-9A-Za-z_\\-]{35}(?![0-9A-Za-z_\\-])")
                    .check(Placeholders.rejecting()).build(),
            Rule.builder(PRIVATE_KEY).description("Private key (PEM)").kind("private_key")
                    .regex("-----BEGIN[ A-Z0-9_\\-]{0,100}PRIVATE KEY(?: BLOCK)?-----[\\s\\S]{32,16000}?"
                            + "-----END[ A-Z0-9_\\-]{0,100}PRIVATE KEY(?: BLOCK)?-----")
                    .maxLength(Rule.MAX_LENGTH).check(SecretCheck.because(
                            "the body is not a DER private key of the labelled type", new PemBody())).build(),
            Rule.builder(JWT).description("JSON Web Token").kind("jwt").regex(JWT_REGEX)
                    .check(SecretCheck.because("header or payload not JSON, alg missing or none, or a Mayfly token",
                            c -> JwtInspector.parse(c.secret())
                                    .map(j -> !JwtInspector.isMayfly(j, c.mayflyIssuer())).orElse(false))
                            .and(Placeholders.rejecting()))
                    .build(),
            // Starts at "://" so the regex runs anchored at each occurrence; the scheme adds nothing. The
            // password runs to the last "@" before a host, so unescaped "@", "$", "*", "#", "?" in it are kept
            // (a query or fragment is never followed by "@host").
            Rule.builder(URI_PASSWORD).description("Password in a URI's userinfo (any scheme)").kind("uri_password")
                    .regex("://[^\\s:/?#@\"'`<>\\\\\\[\\]{}|]{0,128}:([^\\s/\"'`<>\\\\]{1,256})@(?=[A-Za-z0-9\\[])")
                    .secretGroup(1).generic(true).check(new UriPassword()).build(),
            Rule.builder(HTTP_AUTHORIZATION).description("Credentials in an Authorization or Proxy-Authorization header")
                    .kind("http_authorization")
                    .regex("(?i)(?:proxy-)?authorization[\"']?\\s{0,4}[:=]\\s{0,4}[\"']?"
                            + "(?:basic|bearer|token|apikey|api-key|sso-key|key)\\s+([A-Za-z0-9+/_.~\\-]{8,2048}={0,2})"
                            + "(?![A-Za-z0-9+/_.~=\\-])")
                    .secretGroup(1).generic(true).check(new AuthorizationValue()).build(),
            // Keyword-anchored: the noun, up to four words naming what it is for, a verb, the value.
            Rule.builder(DISCLOSED_SECRET).description("Password, key or token told in words (\"the db password is …\")")
                    .kind("disclosed_secret")
                    .regex("(?i)(?:passwords?|passphrase|passwd|passcode|pwd|secret|api[ _-]?key|access[ _-]?key|token)"
                            + "(?:\\s+(?:for|of|on|to|in)(?:\\s+[\\w.@/\\-]{1,40}){1,4})?"
                            + "\\s+(?:is|was|is now|will be|(?:has been |was )?(?:set|changed|reset|updated|rotated) to)"
                            + "\\s*:?\\s+[\"'`\u201c]?((?:[^\\s\"'`\u201d<>\\\\&]|&(?![a-z0-9_.\\-]{1,40}=)){5,127}"
                            + "[^\\s\"'`\u201d<>\\\\&.,;:)\\]])")
                    .secretGroup(1).generic(true).check(new DisclosedSecret()).build(),
            Rule.builder(GENERIC).description("Generic password, secret or token assignment").kind("generic_secret")
                    .regex(Pattern.compile("(?i)(?:pass(?:w(?:or)?d|phrase)?|pwd|secret|token|credentials?"
                            + "|api[_.\\-]?key|apikey|key)([a-z0-9_.\\-]{0,24}?)[\"']?\\s{0,4}(?::=|=>|=|:)\\s{0,4}[\"'`]?"
                            + "((?:[^\\s\"'`,;<>()\\[\\]{}\\\\&]|&(?![a-z0-9_.\\-]{1,40}=)){6,256})"))
                    .secretGroup(2).generic(true).check(new GenericAssignment()).build()));

    private BuiltinRules() {
    }

    /** Every built-in rule. */
    public static RuleSet all() {
        return ALL;
    }

    private static Rule opaque(String id, SecretKind kind, String description) {
        return Rule.builder(id).description(description).kind("mayfly_" + kind.name().toLowerCase(Locale.ROOT))
                .regex(kind.prefix() + "[0-9A-Za-z]{" + (OpaqueSecret.LENGTH - kind.prefix().length()) + "}")
                .check(SecretCheck.because("the CRC32 checksum does not verify",
                        c -> OpaqueSecret.parse(c.secret(), kind).isPresent()))
                .tags(List.of("mayfly")).build();
    }

    private static Rule github(String id, String prefixRegex, String description, String kind) {
        return Rule.builder(id).description(description).kind(kind)
                .regex(prefixRegex + "[0-9A-Za-z]{36}")
                .check(SecretCheck.because("GitHub's CRC32 checksum does not verify", new GithubChecksum())).build();
    }

    private static boolean isHex(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.digit(s.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean hasDigit(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isDigit(s.charAt(i))) {
                return true;
            }
        }
        return false;
    }
}
