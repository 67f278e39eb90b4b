package dev.mayfly.bench.corpus;

import dev.mayfly.core.secret.OpaqueSecret;
import dev.mayfly.core.secret.SecretKind;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;
import java.util.zip.CRC32;

/**
 * Makes realistic secrets and look-alikes from a seeded {@link Random}, so a corpus is the same on every
 * run. Checksummed formats carry valid checksums (Mayfly's are verified with core's
 * {@link OpaqueSecret#parse}, GitHub's with its published CRC32/base62 scheme); decoys are the same shapes
 * made provably fake.
 */
final class SecretFactory {
    static final String ISSUER = "https://mayfly.example.com";
    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final String BASE64URL = BASE62 + "-_";
    private static final String BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();

    private final Random random;

    SecretFactory(Random random) {
        this.random = random;
    }

    String secret(SecretType type, int variant) {
        switch (type) {
            case MAYFLY_REFRESH_TOKEN:
                return opaque(SecretKind.REFRESH_TOKEN);
            case MAYFLY_CLIENT_SECRET:
                return opaque(SecretKind.CLIENT_SECRET);
            case MAYFLY_WEBHOOK_SECRET:
                return opaque(SecretKind.WEBHOOK_SECRET);
            case MAYFLY_ACCESS_TOKEN:
                return mayflyAccessToken();
            case AWS_ACCESS_KEY_ID:
                return (variant % 2 == 0 ? "AKIA" : "ASIA") + chars(BASE32, 16);
            case AWS_SECRET_ACCESS_KEY:
                return chars(BASE62 + "+/", 40);
            case GITHUB_CLASSIC:
                return github(new String[] {"ghp_", "gho_", "ghu_", "ghs_", "ghr_"}[variant % 5]);
            case GITHUB_FINE_GRAINED:
                return "github_pat_11" + chars(BASE62, 20) + "_" + chars(BASE62, 59);
            case GITLAB_PAT:
                return "glpat-" + chars(BASE64URL, 20);
            case SLACK_TOKEN:
                // Every third one has ids with a sequential run, as real team and bot ids do now and then.
                return variant % 3 == 1 ? "xoxb-" + "1234567" + digits(4) + "-" + digits(3) + "2345678901-" + chars(BASE62, 24)
                        : "xoxb-" + digits(11) + "-" + digits(13) + "-" + chars(BASE62, 24);
            case STRIPE_LIVE_KEY:
                return (variant % 3 == 2 ? "rk_live_" : "sk_live_") + "51" + chars(BASE62, 97);
            case OPENAI_API_KEY:
                return variant % 3 == 2 ? "sk-" + chars(BASE62, 20) + "T3BlbkFJ" + chars(BASE62, 20)
                        : "sk-proj-" + chars(BASE64URL, 156);
            case ANTHROPIC_API_KEY:
                return "sk-ant-api03-" + chars(BASE64URL, 93) + "AA";
            case GOOGLE_API_KEY:
                return "AIza" + chars(BASE64URL, 35);
            case JWT:
                return variant % 2 == 0 ? jwt("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", claims(false), 32)
                        : jwt("{\"alg\":\"RS256\",\"kid\":\"" + chars(BASE62, 8) + "\"}", claims(false), 256);
            case PEM_PKCS1:
                return pem("RSA PRIVATE KEY", derSequence(1190), 64);
            case PEM_PKCS8:
                return pem("PRIVATE KEY", derSequence(1214), 64);
            case PEM_SEC1_EC:
                return pem("EC PRIVATE KEY", derSequence(119), 64);
            case PEM_OPENSSH:
                return pem("OPENSSH PRIVATE KEY", openSsh(), 70);
            case GENERIC_PASSWORD:
            case DISCLOSED_PASSWORD:
                return password();
            case URI_PASSWORD:
            case BASIC_PASSWORD:
                return uriPassword();
            default:
                throw new IllegalArgumentException(type.name());
        }
    }

    /** A statement that carries a decoy: what a real config or log line with a look-alike says. */
    String decoy(DecoyType type, int variant) {
        switch (type) {
            case MAYFLY_BAD_CHECKSUM: {
                SecretKind kind = SecretKind.values()[variant % SecretKind.values().length];
                String good = opaque(kind);
                String bad = good.substring(0, good.length() - 1) + other(good.charAt(good.length() - 1));
                require(!OpaqueSecret.isValid(bad), "a corrupted Mayfly secret still verifies");
                return variant % 2 == 0 ? "MAYFLY_SECRET=" + bad : "presented " + bad + " (rejected: bad checksum)";
            }
            case GITHUB_BAD_CHECKSUM: {
                String good = github("ghp_");
                return "GITHUB_TOKEN=" + good.substring(0, good.length() - 1) + other(good.charAt(good.length() - 1));
            }
            case BROKEN_JWT:
                switch (variant % 3) {
                    case 0: // header is not JSON
                        return "Bearer " + URL.encodeToString("{\"alg\":\"HS256\",\"typ".getBytes(StandardCharsets.UTF_8))
                                + "." + URL.encodeToString(claims(false).getBytes(StandardCharsets.UTF_8)) + "." + chars(BASE64URL, 43);
                    case 1: // unsigned
                        return "id_token " + jwt("{\"alg\":\"none\",\"typ\":\"JWT\"}", claims(false), 32);
                    default: // payload garbage
                        return "Bearer eyJhbGciOiJIUzI1NiJ9.eyJ" + chars(BASE64URL, 60) + "." + chars(BASE64URL, 43);
                }
            case BROKEN_PEM:
                switch (variant % 3) {
                    case 0: // truncated: DER length does not match
                        return pem("RSA PRIVATE KEY", truncated(derSequence(1190), 600), 64);
                    case 1: // documentation elision
                        return "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7...\n...\n"
                                + "-----END PRIVATE KEY-----";
                    default: // labels disagree
                        String ok = pem("EC PRIVATE KEY", derSequence(119), 64);
                        return ok.replace("-----END EC PRIVATE KEY-----", "-----END RSA PRIVATE KEY-----");
                }
            case PLACEHOLDER: {
                String[] all = {"password=xxxxxxxxxxxx", "GITHUB_TOKEN=${GITHUB_TOKEN}", "api_key=<redacted>",
                    "OPENAI_API_KEY=sk-proj-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "client_secret=your_client_secret_here",
                    "DB_PASSWORD={{ .Values.db.password }}", "token: ********", "SLACK_BOT_TOKEN=xoxb-your-bot-token-here"};
                return all[variant % all.length];
            }
            case EXAMPLE_KEY: {
                String[] all = {"AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE",
                    "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                    "GOOGLE_API_KEY=AIzaSyDaGmWKa4JsXZ-HjGw7ISLn_3namBGewQe",
                    "Authorization: Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"};
                return all[variant % all.length];
            }
            case HEX_DIGEST: {
                String[] all = {"cache_key=" + hex(40), "\"etag\": \"" + hex(64) + "\"", "token_sha256=" + hex(64),
                    "client_secret_hash: " + hex(64), "session_key=" + hex(32), "build_key=" + uuid()};
                return all[variant % all.length];
            }
            case IDENTIFIER: {
                String[] all = {"lookup key=cache:" + hex(12) + " hit", "\"cacheKey\": \"user:" + digits(7) + ":profile\"",
                    "token: req_" + hex(12), "crypto_key=projects/acme-prod/locations/us-east1/keyRings/ring1/cryptoKeys/app",
                    "api_key_ref=arn:aws:secretsmanager:us-east-1:" + digits(12) + ":secret:prod/db", "session_key=sess-" + hex(12) + "-01",
                    "idempotency_key=idem-" + hex(16), "secret: orders-service-v2"};
                return all[variant % all.length];
            }
            case CREDENTIAL_STAND_IN: {
                String[] all = {"DATABASE_URL=postgres://postgres:postgres@localhost:5432/dev",
                    "DATABASE_URL=postgres://app:${DB_PASSWORD}@db.internal:5432/orders",
                    "> Authorization: Basic " + Base64.getEncoder().encodeToString("user:password".getBytes(StandardCharsets.UTF_8)),
                    "Authorization: Bearer <token>", "the db password is stored in the vault, ask ops",
                    "redis://default:********@cache:6379", "the token is expired, refreshing", "mysql://root:<password>@db/shop"};
                return all[variant % all.length];
            }
            default:
                throw new IllegalArgumentException(type.name());
        }
    }

    /** A generated password as services hand them out, with the characters URIs trip on ({@code @ $ *}). */
    private String uriPassword() {
        String[] symbols = {"@", "$", "*", "!", "#", "%", "^", "&"};
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            sb.append(chars(BASE62, 3 + random.nextInt(4))).append(symbols[random.nextInt(symbols.length)]);
        }
        return sb.append(chars(BASE62, 2)).toString();
    }

    private String opaque(SecretKind kind) {
        String body = chars(BASE62, OpaqueSecret.RANDOM_LENGTH);
        CRC32 crc = new CRC32();
        crc.update(body.getBytes(StandardCharsets.US_ASCII));
        String secret = kind.prefix() + body + base62(crc.getValue(), OpaqueSecret.CHECKSUM_LENGTH);
        // Core is the authority on the format: a generated secret must parse as a real one.
        require(OpaqueSecret.parse(secret, kind).isPresent(), "generated Mayfly secret does not verify");
        return secret;
    }

    private String github(String prefix) {
        String body = chars(BASE62, 30);
        CRC32 crc = new CRC32();
        crc.update(body.getBytes(StandardCharsets.US_ASCII));
        return prefix + body + base62(crc.getValue(), 6);
    }

    private String mayflyAccessToken() {
        String header = "{\"alg\":\"EdDSA\",\"typ\":\"at+jwt\",\"kid\":\"mfy-" + chars(BASE62, 8) + "\"}";
        return jwt(header, claims(true), 64);
    }

    private String claims(boolean mayfly) {
        long iat = 1_795_000_000L + random.nextInt(10_000_000);
        if (mayfly) {
            return "{\"iss\":\"" + ISSUER + "\",\"sub\":\"agt_" + chars(BASE62, 22) + "\",\"aud\":\"https://api.example.com\","
                    + "\"iat\":" + iat + ",\"exp\":" + (iat + 300) + ",\"jti\":\"tok_" + chars(BASE62, 22)
                    + "\",\"scope\":\"repo:read tickets:write\",\"mfy_ses\":\"ses_" + chars(BASE62, 22) + "\"}";
        }
        return "{\"sub\":\"" + digits(10) + "\",\"name\":\"user-" + chars(BASE62, 6) + "\",\"iat\":" + iat
                + ",\"exp\":" + (iat + 3600) + "}";
    }

    private String jwt(String header, String payload, int signatureBytes) {
        byte[] sig = new byte[signatureBytes];
        random.nextBytes(sig);
        return URL.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + URL.encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "." + URL.encodeToString(sig);
    }

    /** A DER SEQUENCE with a correct long-form length and an INTEGER version 0 first, like a real key. */
    private byte[] derSequence(int contentLength) {
        byte[] content = new byte[contentLength];
        random.nextBytes(content);
        content[0] = 0x02;
        content[1] = 0x01;
        content[2] = contentLength > 200 ? (byte) 0 : (byte) 1;
        byte[] header = contentLength < 128 ? new byte[] {0x30, (byte) contentLength}
                : contentLength < 256 ? new byte[] {0x30, (byte) 0x81, (byte) contentLength}
                : new byte[] {0x30, (byte) 0x82, (byte) (contentLength >> 8), (byte) contentLength};
        byte[] out = new byte[header.length + contentLength];
        System.arraycopy(header, 0, out, 0, header.length);
        System.arraycopy(content, 0, out, header.length, contentLength);
        return out;
    }

    private byte[] openSsh() {
        byte[] magic = "openssh-key-v1\0".getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[magic.length + 384];
        random.nextBytes(out);
        System.arraycopy(magic, 0, out, 0, magic.length);
        return out;
    }

    private static byte[] truncated(byte[] der, int length) {
        byte[] out = new byte[length];
        System.arraycopy(der, 0, out, 0, length);
        return out;
    }

    private static String pem(String label, byte[] der, int width) {
        String b64 = Base64.getEncoder().encodeToString(der);
        StringBuilder sb = new StringBuilder("-----BEGIN ").append(label).append("-----\n");
        for (int i = 0; i < b64.length(); i += width) {
            sb.append(b64, i, Math.min(b64.length(), i + width)).append('\n');
        }
        return sb.append("-----END ").append(label).append("-----").toString();
    }

    /** A human-made password: words, digits and one symbol. */
    private String password() {
        String[] words = {"Orchid", "copper", "Falcon", "river", "Tundra", "maple", "Quartz", "ember", "Saffron", "delta"};
        String[] symbols = {"!", "@", "#", "*", "-", "_", "+", "^", "~"};
        return words[random.nextInt(words.length)] + words[random.nextInt(words.length)].toLowerCase(java.util.Locale.ROOT)
                + symbols[random.nextInt(symbols.length)] + digits(4) + chars(BASE62, 3);
    }

    String chars(String alphabet, int n) {
        char[] out = new char[n];
        for (int i = 0; i < n; i++) {
            out[i] = alphabet.charAt(random.nextInt(alphabet.length()));
        }
        return new String(out);
    }

    String digits(int n) {
        return chars("0123456789", n);
    }

    String hex(int n) {
        return chars("0123456789abcdef", n);
    }

    String uuid() {
        return hex(8) + "-" + hex(4) + "-4" + hex(3) + "-a" + hex(3) + "-" + hex(12);
    }

    private static char other(char c) {
        return c == 'A' ? 'B' : 'A';
    }

    private static String base62(long value, int width) {
        char[] out = new char[width];
        long v = value;
        for (int i = width - 1; i >= 0; i--) {
            out[i] = BASE62.charAt((int) (v % 62));
            v /= 62;
        }
        return new String(out);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalStateException(message);
        }
    }
}
