package dev.mayfly.bench.corpus;

import java.util.Base64;
import java.util.Random;

/**
 * Secret-free text in the shapes agents and services write: it is full of words the rules key on
 * (token, key, secret, password, Authorization), identifiers, digests, URLs, escaped JSON and binary
 * base64, so it exercises the prefilter, the decoders and the validators without holding a credential.
 */
final class FillerText {
    private static final String[] WORDS = {"the", "agent", "summarised", "quarterly", "revenue", "region", "ticket",
        "deploy", "rollback", "cluster", "latency", "dashboard", "customer", "invoice", "retry", "queue", "schema",
        "migration", "incident", "report", "token", "budget", "session", "cache", "review", "pull", "request",
        "branch", "commit", "build", "pipeline", "secret", "rotation", "policy", "key", "vault", "password", "reset"};

    private final Random r;
    private final SecretFactory f;

    FillerText(Random r, SecretFactory f) {
        this.r = r;
        this.f = f;
    }

    String sentence() {
        int n = 6 + r.nextInt(14);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                sb.append(' ');
            }
            sb.append(WORDS[r.nextInt(WORDS.length)]);
        }
        return sb.append('.').toString();
    }

    String logMessage() {
        switch (r.nextInt(15)) {
            case 0:
                return "handled GET /api/v2/orders/" + r.nextInt(100000) + " status=200 duration_ms=" + r.nextInt(900)
                        + " request_id=req_" + f.hex(16);
            case 1:
                return "cache hit cache_key=" + f.hex(40) + " size=" + r.nextInt(65536);
            case 2:
                return "token refresh scheduled in " + r.nextInt(300) + "s for session ses_" + f.chars(ALNUM, 22);
            case 3:
                return "user " + f.uuid() + " logged in from 10." + r.nextInt(255) + "." + r.nextInt(255) + "." + r.nextInt(255)
                        + " via oauth2 (public_key_id=kid-" + f.hex(8) + ")";
            case 4:
                return "retrying upload of s3://bucket-" + r.nextInt(99) + "/artifacts/" + f.hex(40) + ".tar.gz attempt="
                        + r.nextInt(5);
            case 5:
                return "GET /search?q=quarterly%20revenue%20by%20region&page=" + r.nextInt(50) + "&sort=desc 200";
            case 6:
                return "payload sha256=" + f.hex(64) + " verified";
            case 7:
                return "config loaded: max_tokens=4096 temperature=0.2 secret_rotation_days=90 password_min_length=12";
            case 8: {
                byte[] b = new byte[48];
                r.nextBytes(b);
                return "attachment received bytes=" + Base64.getEncoder().encodeToString(b);
            }
            case 9:
                return "Authorization header present (scheme=Bearer, length=" + (700 + r.nextInt(300)) + ")";
            case 12:
                return "lookup key=cache:" + f.hex(12) + " hit ttl=" + r.nextInt(600) + " node=cache-" + r.nextInt(9);
            case 13:
                return "kms decrypt crypto_key=projects/acme-prod/locations/us-east1/keyRings/ring" + r.nextInt(9)
                        + "/cryptoKeys/app idempotency_key=idem-" + f.hex(16);
            case 14:
                return "upstream api_key_ref=arn:aws:secretsmanager:us-east-1:" + f.digits(12) + ":secret:prod/orders session_key=sess-"
                        + f.hex(12) + "-0" + r.nextInt(9);
            case 10:
                return "processed " + r.nextInt(1000) + " records for tenant acme-" + r.nextInt(100) + ": " + sentence();
            default:
                return "task tsk_" + f.chars(ALNUM, 22) + " finished: " + sentence();
        }
    }

    String ciLine() {
        switch (r.nextInt(9)) {
            case 0:
                return "[INFO] Downloading from central: https://repo.maven.apache.org/maven2/org/example/lib-"
                        + r.nextInt(20) + "/1." + r.nextInt(30) + ".0/lib-" + r.nextInt(20) + ".pom";
            case 1:
                return "##[group]Run actions/checkout@v4";
            case 2:
                return "+ docker build -t registry.example.com/app:" + f.hex(7) + " --build-arg GIT_SHA=" + f.hex(40) + " .";
            case 3:
                return "Step " + r.nextInt(12) + "/12 : RUN npm ci --no-audit --cache /tmp/npm-" + f.hex(8);
            case 4:
                return "[INFO] Tests run: " + r.nextInt(400) + ", Failures: 0, Errors: 0, Skipped: " + r.nextInt(3);
            case 5:
                return "git checkout --progress --force " + f.hex(40);
            case 6:
                return "  env: NODE_ENV=production CI=true GITHUB_SHA=" + f.hex(40) + " GITHUB_TOKEN=***";
            case 7:
                return "Using token from secrets.DEPLOY_TOKEN (value masked)";
            default:
                return "npm WARN deprecated inflight@1.0.6: " + sentence();
        }
    }

    /** Multi-line tool output with nested JSON, as a tool result carries it (not yet JSON-escaped). */
    String toolOutput() {
        StringBuilder sb = new StringBuilder();
        int n = 2 + r.nextInt(6);
        for (int i = 0; i < n; i++) {
            switch (r.nextInt(3)) {
                case 0:
                    sb.append("src/main/app/Service.java:").append(r.nextInt(900)).append(": ").append(sentence());
                    break;
                case 1:
                    sb.append("{\"id\":\"").append(f.uuid()).append("\",\"status\":\"ok\",\"token_count\":")
                            .append(r.nextInt(9000)).append(",\"etag\":\"").append(f.hex(32)).append("\"}");
                    break;
                default:
                    sb.append(logMessage());
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    static final String ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
}
