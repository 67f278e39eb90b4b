package dev.mayfly.bench.corpus;

import dev.mayfly.core.secret.Secret;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Writes a deterministic corpus of agent artifacts with planted secrets and decoys: application and CI
 * logs, agent transcripts (JSONL), streamed LLM output (OpenAI chunks, Anthropic events) and memory
 * dumps (one single-line minified JSON, one pretty-printed). Every secret type is planted in every
 * context that can carry it, {@code reps} times; the ground truth goes to a separate file
 * ({@code truth.tsv}), never into the corpus. Same seed and size, same bytes.
 */
public final class CorpusGenerator {
    private static final Context[] DECOY_CONTEXTS = {Context.PLAIN, Context.JSON_STRING, Context.JSON_IN_JSON,
        Context.BASE64, Context.STREAM_OPENAI};

    private final Random random;
    private final SecretFactory factory;
    private final FillerText filler;
    private int nextId;
    private long clock = 1_795_000_000_000L;

    private CorpusGenerator(long seed) {
        this.random = new Random(seed);
        this.factory = new SecretFactory(random);
        this.filler = new FillerText(random, factory);
    }

    /**
     * Generates about {@code totalChars} characters (ASCII, so bytes) under {@code dir/corpus} and the
     * ground truth in {@code dir/truth.tsv}.
     *
     * @param reps how many times each (secret type, context) pair is planted
     */
    public static Corpus generate(Path dir, long totalChars, int reps, long seed) throws IOException {
        return new CorpusGenerator(seed).write(dir, totalChars, reps);
    }

    private Corpus write(Path dir, long totalChars, int reps) throws IOException {
        Path root = dir.resolve("corpus");
        List<Pending> pending = plan(reps);
        Map<FileKind, List<Target>> byKind = new EnumMap<>(FileKind.class);
        List<Target> targets = new ArrayList<>();
        for (FileKind k : FileKind.values()) {
            List<Target> list = new ArrayList<>();
            for (int i = 1; i <= k.files; i++) {
                Target t = new Target(k, String.format(k.pattern, i), (long) (totalChars * k.share / k.files));
                list.add(t);
                targets.add(t);
            }
            byKind.put(k, list);
        }
        Map<Context, Integer> turn = new EnumMap<>(Context.class);
        for (Pending p : pending) {
            List<Target> fit = new ArrayList<>();
            for (FileKind k : FileKind.values()) {
                if (k.contexts.contains(p.context)) {
                    fit.addAll(byKind.get(k));
                }
            }
            int n = turn.merge(p.context, 1, Integer::sum);
            fit.get(n % fit.size()).plants.add(p);
        }
        List<Plant> truth = new ArrayList<>();
        long chars = 0;
        for (Target t : targets) {
            Collections.shuffle(t.plants, random);
            Path file = root.resolve(t.name);
            Files.createDirectories(file.getParent());
            try (CountingWriter w = new CountingWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8))) {
                writeFile(t, w, truth);
                chars += w.chars;
            }
        }
        List<String> lines = new ArrayList<>();
        lines.add("# id\tkind\tcategory\tmayfly\tstrict\tcontext\tfile\tline\tstart\tend\tfingerprints");
        for (Plant p : truth) {
            lines.add(p.toTsv());
        }
        Files.write(dir.resolve("truth.tsv"), lines, StandardCharsets.UTF_8);
        List<String> files = new ArrayList<>();
        for (Target t : targets) {
            files.add(t.name);
        }
        return new Corpus(root, files, chars, truth);
    }

    /** Every secret type in every context that admits it, {@code reps} times; decoys likewise. */
    private List<Pending> plan(int reps) {
        List<Pending> out = new ArrayList<>();
        for (SecretType type : SecretType.values()) {
            for (Context c : Context.values()) {
                if (!c.admits(type)) {
                    continue;
                }
                for (int v = 0; v < reps; v++) {
                    out.add(secret(type, c, v));
                }
            }
        }
        for (DecoyType type : DecoyType.values()) {
            for (Context c : DECOY_CONTEXTS) {
                for (int v = 0; v < 4 * reps; v++) {
                    String statement = factory.decoy(type, v);
                    out.add(new Pending(true, type.label(), false, type.strict, c, statement, statement, null, List.of()));
                }
            }
        }
        return out;
    }

    private Pending secret(SecretType type, Context c, int variant) {
        String value = factory.secret(type, variant);
        List<String> fingerprints = new ArrayList<>(List.of(fingerprint(value)));
        String statement;
        String carried = null;
        if (c == Context.K8S_SECRET && type == SecretType.URI_PASSWORD) {
            // A Kubernetes Secret holds the whole connection URI, base64-encoded.
            statement = value;
            carried = Encodings.base64(uri(value, variant));
            fingerprints.add(fingerprint(carried));
        } else if (c == Context.K8S_SECRET) {
            statement = value;
            carried = Encodings.base64(value);
            fingerprints.add(fingerprint(carried)); // a generic finding of the encoded value is a correct one
        } else if (c == Context.BASIC_AUTH) {
            String user = new String[] {"x-access-token", "agt_" + factory.chars(FillerText.ALNUM, 22), "oauth2", "api"}[variant % 4];
            statement = user + ":" + value;
        } else {
            statement = statement(type, value, variant);
            if (type == SecretType.BASIC_PASSWORD) {
                // The header's base64 is the credential as written; a finding of it is a correct one.
                fingerprints.add(fingerprint(statement.substring(statement.lastIndexOf(' ') + 1).replace("\"}", "")));
            }
        }
        return new Pending(false, type.label(), type.mayfly, false, c, statement, value, carried, fingerprints);
    }

    private static String statement(SecretType t, String v, int variant) {
        if (t.isPem()) {
            return v;
        }
        switch (t) {
            case AWS_SECRET_ACCESS_KEY:
                return variant % 2 == 0 ? "aws_secret_access_key = " + v : "\"SecretAccessKey\": \"" + v + "\"";
            case GENERIC_PASSWORD:
                return new String[] {"DB_PASSWORD=" + v, "password: " + v, "\"smtp_password\": \"" + v + "\""}[variant % 3];
            case URI_PASSWORD:
                return variant % 3 == 1
                        // a tool call whose arguments are a JSON string: the URI is escaped once more
                        ? "{\"name\":\"run_sql\",\"arguments\":\"{\\\"dsn\\\":\\\"" + uri(v, variant)
                                + "\\\",\\\"query\\\":\\\"select 1\\\"}\"}"
                        : variant % 3 == 0 ? "DATABASE_URL=" + uri(v, variant) : "connecting to " + uri(v, variant) + " ...";
            case BASIC_PASSWORD: {
                String user = new String[] {"deploy", "svc-orders", "jenkins", "admin@example.com"}[variant % 4];
                String b64 = java.util.Base64.getEncoder().encodeToString((user + ":" + v)
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
                return variant % 2 == 0 ? "> Authorization: Basic " + b64 : "{\"Proxy-Authorization\": \"Basic " + b64 + "\"}";
            }
            case DISCLOSED_PASSWORD:
                return new String[] {"ok, the db password is " + v + " - use it for the migration",
                    "My password for the staging box was changed to " + v + ".",
                    "FYI the passphrase is now " + v + " until Friday"}[variant % 3];
            case JWT:
            case MAYFLY_ACCESS_TOKEN:
                return variant % 2 == 0 ? "Authorization: Bearer " + v : t.keyName + "=" + v;
            default:
                return variant % 2 == 0 ? t.keyName + "=" + v : "calling the API with " + v + " now";
        }
    }

    /** A connection URI of some scheme with {@code password} in its userinfo. */
    private static String uri(String password, int variant) {
        String[] schemes = {"postgres://app:", "mysql://svc:", "amqp://worker:", "redis://default:", "mongodb+srv://etl:"};
        String[] hosts = {"@db.internal:5432/orders", "@10.0.3.7:3306/shop", "@mq.internal:5672/", "@cache:6379/0",
            "@cluster0.ab1cd.mongodb.net/prod"};
        int i = variant % schemes.length;
        return schemes[i] + password + hosts[i];
    }

    static String fingerprint(String value) {
        return Secret.sha256Hex(value).substring(0, 16);
    }

    private void writeFile(Target t, CountingWriter w, List<Plant> truth) throws IOException {
        int n = t.plants.size();
        boolean minified = t.kind == FileKind.DUMP_MINIFIED;
        boolean pretty = t.kind == FileKind.DUMP_PRETTY;
        if (minified) {
            w.write("{\"heap\":\"pid-4242\",\"objects\":[");
        } else if (pretty) {
            w.write("{\n  \"heap\": \"pid-4242\",\n  \"objects\": [\n");
        }
        boolean first = true;
        for (int i = 0; i <= n; i++) {
            long until = t.size * (i + 1) / (n + 1);
            while (w.chars < until) {
                w.write(separator(t.kind, first) + fillerUnit(t.kind));
                first = false;
            }
            if (i == n) {
                break;
            }
            Pending p = t.plants.get(i);
            w.write(separator(t.kind, first));
            first = false;
            Rendered r = render(t.kind, p);
            long start = w.chars;
            int line = w.line + count(r.text, r.at);
            w.write(r.text);
            truth.add(new Plant(++nextId, p.decoy, p.category, p.mayfly, p.strict, p.context, t.name, line, start, w.chars,
                    p.fingerprints));
        }
        if (minified) {
            w.write("]}\n");
        } else if (pretty) {
            w.write("\n  ]\n}\n");
        }
    }

    private static String separator(FileKind k, boolean first) {
        if (first) {
            return "";
        }
        return k == FileKind.DUMP_MINIFIED ? "," : k == FileKind.DUMP_PRETTY ? ",\n" : "";
    }

    private String fillerUnit(FileKind k) {
        switch (k) {
            case APP_LOG:
                return appPrefix() + filler.logMessage() + "\n";
            case CI_LOG:
                return ciPrefix() + filler.ciLine() + "\n";
            case TRANSCRIPT:
                return transcriptFiller();
            case OPENAI_STREAM:
                return openAi(filler.sentence() + " " + filler.sentence(), -1).text;
            case ANTHROPIC_STREAM:
                return anthropic(filler.sentence() + " " + filler.sentence(), -1).text;
            case DUMP_MINIFIED:
                return dumpObject(dumpValue(), false);
            case DUMP_PRETTY:
                return dumpObject(dumpValue(), true);
            default:
                throw new IllegalArgumentException(k.name());
        }
    }

    private String transcriptFiller() {
        switch (random.nextInt(4)) {
            case 0:
                return "{\"type\":\"message\",\"role\":\"user\",\"content\":\"" + Encodings.json(filler.sentence()) + "\"}\n";
            case 1:
                return "{\"type\":\"tool_use\",\"id\":\"toolu_" + factory.chars(FillerText.ALNUM, 24)
                        + "\",\"name\":\"bash\",\"input\":{\"command\":\"grep -rn \\\"timeout\\\" src/ | head -20\"}}\n";
            case 2:
                return "{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_" + factory.chars(FillerText.ALNUM, 24)
                        + "\",\"content\":\"" + Encodings.json(filler.toolOutput()) + "\"}\n";
            default:
                return "{\"type\":\"message\",\"role\":\"assistant\",\"content\":\"" + Encodings.json(filler.sentence() + "\n\n"
                        + filler.sentence()) + "\",\"usage\":{\"input_tokens\":" + random.nextInt(9000) + ",\"output_tokens\":"
                        + random.nextInt(900) + "}}\n";
        }
    }

    private String dumpValue() {
        switch (random.nextInt(3)) {
            case 0:
                return Encodings.json(filler.sentence());
            case 1:
                return Encodings.json(filler.toolOutput());
            default:
                return Encodings.json(filler.logMessage());
        }
    }

    private String dumpObject(String jsonContent, boolean pretty) {
        String addr = "0x7f" + factory.hex(10);
        if (pretty) {
            return "    {\n      \"addr\": \"" + addr + "\",\n      \"class\": \"java.lang.String\",\n      \"value\": \""
                    + jsonContent + "\"\n    }";
        }
        return "{\"addr\":\"" + addr + "\",\"class\":\"java.lang.String\",\"value\":\"" + jsonContent + "\"}";
    }

    /** The planted statement written the way its context and file kind say. */
    private Rendered render(FileKind k, Pending p) {
        String s = p.statement;
        switch (p.context) {
            case STREAM_OPENAI:
            case STREAM_ANTHROPIC: {
                String intro = "Sure - here is what you asked for:\n";
                String text = intro + s + "\nKeep it safe.";
                int secretAt = intro.length() + Math.max(0, s.indexOf(p.value));
                return k == FileKind.ANTHROPIC_STREAM ? anthropic(text, secretAt) : openAi(text, secretAt);
            }
            case JSON_STRING:
            case JSON_IN_JSON:
            case UNICODE_ESCAPE: {
                String content = p.context == Context.JSON_STRING ? Encodings.json(s)
                        : p.context == Context.UNICODE_ESCAPE ? Encodings.unicodeEscaped(s)
                        : Encodings.json("{\"output\":\"" + Encodings.json(s) + "\",\"exit_code\":0}");
                if (k == FileKind.TRANSCRIPT) {
                    String head = "{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_" + factory.chars(FillerText.ALNUM, 24)
                            + "\",\"content\":\"";
                    return new Rendered(head + content + "\"}\n", head.length());
                }
                String obj = dumpObject(content, k == FileKind.DUMP_PRETTY);
                return new Rendered(obj, obj.indexOf("\"value\""));
            }
            default: {
                String prefix = k == FileKind.CI_LOG ? ciPrefix() : appPrefix();
                String body;
                switch (p.context) {
                    case PLAIN:
                        body = s;
                        break;
                    case BASE64:
                        body = "config_blob=" + Encodings.base64(s);
                        break;
                    case BASE64URL:
                        body = "GET /oauth/callback?state=" + Encodings.base64Url(s) + " 302";
                        break;
                    case BASIC_AUTH:
                        body = "> Authorization: Basic " + Encodings.base64(s);
                        break;
                    case PERCENT:
                        body = "GET /login/callback?next=" + Encodings.percent(s) + "&lang=en 302";
                        break;
                    case K8S_SECRET: {
                        String key = p.category.startsWith("pem_") ? "tls.key" : keyName(p.category);
                        String head = prefix + "kubectl get secret app-secrets -o yaml\napiVersion: v1\nkind: Secret\n"
                                + "metadata:\n  name: app-secrets\n  namespace: prod\ntype: Opaque\ndata:\n";
                        String text = head + "  " + key + ": " + p.carried + "\n  LOG_LEVEL: aW5mbw==\n";
                        return new Rendered(text, head.length());
                    }
                    default:
                        throw new IllegalArgumentException(p.context.name());
                }
                return new Rendered(prefix + body + "\n", prefix.length());
            }
        }
    }

    private static String keyName(String category) {
        return SecretType.valueOf(category.toUpperCase(java.util.Locale.ROOT)).keyName;
    }

    /** An OpenAI chat completion stream (SSE); {@code mark} is the text position whose event is located. */
    private Rendered openAi(String text, int mark) {
        String id = "chatcmpl-" + factory.chars(FillerText.ALNUM, 24);
        String head = "data: {\"id\":\"" + id + "\",\"object\":\"chat.completion.chunk\",\"created\":" + (clock++ / 1000)
                + ",\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"delta\":";
        StringBuilder sb = new StringBuilder(text.length() * 8);
        sb.append(head).append("{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}\n\n");
        int at = 0;
        for (int i = 0; i < text.length(); ) {
            int len = Math.min(text.length() - i, 2 + random.nextInt(8));
            if (mark >= i && mark < i + len) {
                at = sb.length();
            }
            sb.append(head).append("{\"content\":\"").append(Encodings.json(text.substring(i, i + len)))
                    .append("\"},\"finish_reason\":null}]}\n\n");
            i += len;
        }
        sb.append(head).append("{},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n");
        return new Rendered(sb.toString(), at);
    }

    /** An Anthropic Messages stream (SSE events). */
    private Rendered anthropic(String text, int mark) {
        StringBuilder sb = new StringBuilder(text.length() * 8);
        sb.append("event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_")
                .append(factory.chars(FillerText.ALNUM, 24))
                .append("\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4\",\"content\":[]}}\n\n")
                .append("event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,")
                .append("\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n");
        int at = 0;
        for (int i = 0; i < text.length(); ) {
            int len = Math.min(text.length() - i, 2 + random.nextInt(8));
            if (mark >= i && mark < i + len) {
                at = sb.length();
            }
            sb.append("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,")
                    .append("\"delta\":{\"type\":\"text_delta\",\"text\":\"").append(Encodings.json(text.substring(i, i + len)))
                    .append("\"}}\n\n");
            i += len;
        }
        sb.append("event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n")
                .append("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
        return new Rendered(sb.toString(), at);
    }

    private String appPrefix() {
        clock += 1 + random.nextInt(50);
        return java.time.Instant.ofEpochMilli(clock) + " INFO  [pool-2-thread-" + random.nextInt(16) + "] d.m.orders.OrderService - ";
    }

    private String ciPrefix() {
        clock += 1 + random.nextInt(50);
        return java.time.Instant.ofEpochMilli(clock) + " ";
    }

    private static int count(String s, int until) {
        int n = 0;
        for (int i = 0; i < until; i++) {
            if (s.charAt(i) == '\n') {
                n++;
            }
        }
        return n;
    }

    private record Rendered(String text, int at) {
    }

    /** A plant before it has a place: its statement, the secret (for locating it), accepted fingerprints. */
    private record Pending(boolean decoy, String category, boolean mayfly, boolean strict, Context context, String statement,
            String value, String carried, List<String> fingerprints) {
    }

    private static final class Target {
        final FileKind kind;
        final String name;
        final long size;
        final List<Pending> plants = new ArrayList<>();

        Target(FileKind kind, String name, long size) {
            this.kind = kind;
            this.name = name;
            this.size = size;
        }
    }

    /** Counts characters and lines as they are written, so plants know their offset and line. */
    private static final class CountingWriter implements AutoCloseable {
        private final Writer out;
        long chars;
        int line = 1;

        CountingWriter(BufferedWriter out) {
            this.out = out;
        }

        void write(String s) throws IOException {
            out.write(s);
            chars += s.length();
            for (int i = 0; i < s.length(); i++) {
                if (s.charAt(i) == '\n') {
                    line++;
                }
            }
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }
}
