package dev.mayfly.scanner;

import dev.mayfly.core.secret.Secret;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One secret found in one input. It carries where (source, 1-based line and column of the first and last
 * character in the original input, even when the secret was found inside an encoding), what (rule, kind,
 * the encodings it was found through), a redacted value that keeps only a known prefix such as
 * {@code mfy_rt_********}, and a fingerprint: the first 16 hex digits of the SHA-256 of the secret, stable
 * across positions and files.
 *
 * <p>The secret itself is kept only for Mayfly's own credentials and only behind {@link #mayflySecret()},
 * so that the CLI can report them for revocation; {@link #toString()} and {@link #toMap()} never show it.
 * Columns count UTF-16 characters from the start of the line. Immutable and thread-safe.
 */
public final class Finding {
    static final String MASK = "********";
    static final int FINGERPRINT_HEX_DIGITS = 16;

    private final String ruleId;
    private final String description;
    private final String kind;
    private final String source;
    private final int line;
    private final int column;
    private final int endLine;
    private final int endColumn;
    private final long offset;
    private final String redacted;
    private final String fingerprint;
    private final double entropy;
    private final List<String> tags;
    private final List<Decoding> decodedFrom;
    private final Secret mayflySecret;
    private final long[] spans;

    private Finding(Builder b) {
        this.ruleId = Objects.requireNonNull(b.ruleId);
        this.description = b.description;
        this.kind = b.kind;
        this.source = b.source;
        this.line = b.line;
        this.column = b.column;
        this.endLine = b.endLine;
        this.endColumn = b.endColumn;
        this.offset = b.offset;
        this.redacted = b.redacted;
        this.fingerprint = b.fingerprint;
        this.entropy = b.entropy;
        this.tags = List.copyOf(b.tags);
        this.decodedFrom = List.copyOf(b.decodedFrom);
        this.mayflySecret = b.mayflySecret;
        this.spans = b.spans.clone();
    }

    static Builder builder(String ruleId) {
        return new Builder(ruleId);
    }

    /**
     * This finding moved by {@code chars} characters and {@code lines} lines: a part of a split file is
     * scanned as if it began where its reader began ({@link FileParts}). Columns stay, since a part starts
     * at the start of a line.
     */
    Finding shifted(long chars, int lines) {
        Builder b = new Builder(ruleId).description(description).kind(kind).source(source)
                .start(line + lines, column).end(endLine + lines, endColumn).offset(offset + chars)
                .redacted(redacted).fingerprint(fingerprint).entropy(entropy).tags(tags).decodedFrom(decodedFrom)
                .mayflySecret(mayflySecret);
        long[] moved = spans.clone();
        for (int i = 0; i < moved.length; i++) {
            moved[i] += chars;
        }
        return b.spans(moved).build();
    }

    public String ruleId() {
        return ruleId;
    }

    public String description() {
        return description;
    }

    /** What the secret is: {@code mayfly_refresh_token}, {@code github_pat}, {@code generic_secret}... */
    public String kind() {
        return kind;
    }

    /** The file path as given, or the stream's name ({@code -} for stdin). */
    public String source() {
        return source;
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }

    /** Line of the secret's last character. */
    public int endLine() {
        return endLine;
    }

    /** Column of the secret's last character (inclusive). */
    public int endColumn() {
        return endColumn;
    }

    /** Offset of the secret's first character from the start of the input, in characters. */
    public long offset() {
        return offset;
    }

    /** The secret with everything after its known prefix masked, e.g. {@code ghp_********}. */
    public String redacted() {
        return redacted;
    }

    /** First 16 hex digits of the SHA-256 of the secret (a prefix of the hash the broker stores). */
    public String fingerprint() {
        return fingerprint;
    }

    /** Shannon entropy of the secret in bits per character. */
    public double entropy() {
        return entropy;
    }

    public List<String> tags() {
        return tags;
    }

    /** The encodings the secret was found through, outermost first; empty when it was in plain sight. */
    public List<Decoding> decodedFrom() {
        return decodedFrom;
    }

    /** True for Mayfly's own credentials, which the CLI reports to the broker for revocation. */
    public boolean isMayfly() {
        return mayflySecret != null;
    }

    /**
     * The full secret, only for Mayfly's own credentials ({@link #isMayfly()}); empty otherwise. The one
     * place a found secret leaves the scanner: send it to {@code POST /v1/leaks}, never print it.
     */
    public Optional<Secret> mayflySecret() {
        return Optional.ofNullable(mayflySecret);
    }

    /** Character ranges {@code [start, end)} of the input that hold the secret (several when reassembled). */
    long[] spans() {
        return spans.clone();
    }

    /** The report form, keys in a stable order. Never contains the secret. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rule_id", ruleId);
        m.put("kind", kind);
        m.put("description", description);
        m.put("file", source);
        m.put("line", line);
        m.put("column", column);
        m.put("end_line", endLine);
        m.put("end_column", endColumn);
        m.put("offset", offset);
        m.put("redacted", redacted);
        m.put("fingerprint", fingerprint);
        m.put("entropy", Math.round(entropy * 1000) / 1000.0);
        m.put("mayfly", isMayfly());
        List<String> decoders = new ArrayList<>();
        for (Decoding d : decodedFrom) {
            decoders.add(d.label());
        }
        m.put("decoded_from", decoders);
        m.put("tags", tags);
        return m;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Finding)) {
            return false;
        }
        Finding f = (Finding) o;
        return ruleId.equals(f.ruleId) && Objects.equals(source, f.source) && offset == f.offset
                && fingerprint.equals(f.fingerprint);
    }

    @Override
    public int hashCode() {
        return Objects.hash(ruleId, source, offset, fingerprint);
    }

    @Override
    public String toString() {
        return "Finding[" + ruleId + " at " + source + ":" + line + ":" + column + ", " + redacted + "]";
    }

    /** Builder used by the engine; not thread-safe. */
    static final class Builder {
        private final String ruleId;
        private String description;
        private String kind;
        private String source;
        private int line;
        private int column;
        private int endLine;
        private int endColumn;
        private long offset;
        private String redacted = MASK;
        private String fingerprint = "";
        private double entropy;
        private List<String> tags = List.of();
        private List<Decoding> decodedFrom = List.of();
        private Secret mayflySecret;
        private long[] spans = new long[0];

        private Builder(String ruleId) {
            this.ruleId = ruleId;
        }

        Builder description(String v) {
            description = v;
            return this;
        }

        Builder kind(String v) {
            kind = v;
            return this;
        }

        Builder source(String v) {
            source = v;
            return this;
        }

        Builder start(int l, int c) {
            line = l;
            column = c;
            return this;
        }

        Builder end(int l, int c) {
            endLine = l;
            endColumn = c;
            return this;
        }

        Builder offset(long v) {
            offset = v;
            return this;
        }

        Builder redacted(String v) {
            redacted = v;
            return this;
        }

        Builder fingerprint(String v) {
            fingerprint = v;
            return this;
        }

        Builder entropy(double v) {
            entropy = v;
            return this;
        }

        Builder tags(List<String> v) {
            tags = v;
            return this;
        }

        Builder decodedFrom(List<Decoding> v) {
            decodedFrom = v;
            return this;
        }

        Builder mayflySecret(Secret v) {
            mayflySecret = v;
            return this;
        }

        Builder spans(long[] v) {
            spans = v;
            return this;
        }

        Finding build() {
            return new Finding(this);
        }
    }
}
