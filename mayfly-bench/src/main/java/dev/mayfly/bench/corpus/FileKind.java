package dev.mayfly.bench.corpus;

import java.util.EnumSet;
import java.util.Set;

/** The kinds of artifact the corpus holds, the share of the corpus each takes, and the contexts each carries. */
enum FileKind {
    APP_LOG("logs/app-%d.log", 0.50, 2, EnumSet.of(Context.PLAIN, Context.BASE64, Context.BASE64URL, Context.BASIC_AUTH,
            Context.PERCENT)),
    CI_LOG("ci/build-%d.log", 0.15, 1, EnumSet.of(Context.PLAIN, Context.BASE64, Context.BASE64URL, Context.BASIC_AUTH,
            Context.PERCENT, Context.K8S_SECRET)),
    TRANSCRIPT("transcripts/session-%d.jsonl", 0.15, 1, EnumSet.of(Context.JSON_STRING, Context.JSON_IN_JSON,
            Context.UNICODE_ESCAPE)),
    OPENAI_STREAM("transcripts/openai-stream-%d.sse", 0.05, 1, EnumSet.of(Context.STREAM_OPENAI)),
    ANTHROPIC_STREAM("transcripts/anthropic-stream-%d.sse", 0.05, 1, EnumSet.of(Context.STREAM_ANTHROPIC)),
    /** One minified JSON document on a single line (8 MB at full scale). */
    DUMP_MINIFIED("dumps/heap-%d.min.json", 0.04, 1, EnumSet.of(Context.JSON_STRING, Context.JSON_IN_JSON,
            Context.UNICODE_ESCAPE)),
    DUMP_PRETTY("dumps/heap-%d.pretty.json", 0.06, 1, EnumSet.of(Context.JSON_STRING, Context.JSON_IN_JSON,
            Context.UNICODE_ESCAPE));

    final String pattern;
    final double share;
    final int files;
    final Set<Context> contexts;

    FileKind(String pattern, double share, int files, Set<Context> contexts) {
        this.pattern = pattern;
        this.share = share;
        this.files = files;
        this.contexts = contexts;
    }
}
