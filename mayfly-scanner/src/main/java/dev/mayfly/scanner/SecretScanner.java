package dev.mayfly.scanner;

import dev.mayfly.scanner.rules.BuiltinRules;
import dev.mayfly.scanner.rules.RuleSet;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Finds secrets in files and streams. Input is read in bounded, overlapping windows (no line-length
 * limit; memory does not grow with the input); a literal prefilter finds candidate positions in one pass
 * and each rule's regex runs only in a window around them, under a step budget; decoders look inside JSON
 * strings, base64, percent-encoding and streamed LLM output. See docs/scanner.md.
 *
 * <p>Build one with {@link #builder()} (or {@link #create()} for the defaults) and share it: a scanner is
 * immutable and thread-safe; each scan uses its own state.
 */
public interface SecretScanner {
    static Builder builder() {
        return new Builder();
    }

    /** Built-in rules, every decoder, any Mayfly issuer. */
    static SecretScanner create() {
        return builder().build();
    }

    /**
     * Scans a file, or every regular file under a directory (not following symbolic links, skipping
     * {@code .git}). An unreadable file of a directory becomes a {@link ScanWarning}.
     *
     * @throws IOException when the path itself cannot be read
     */
    ScanResult scan(Path path) throws IOException;

    /**
     * Scans a UTF-8 stream (malformed bytes are replaced, so binary input is scanned too) to its end; does
     * not close it.
     *
     * @param source the name findings carry ({@code -} for stdin); path rules and allowlists match it
     */
    ScanResult scan(InputStream in, String source) throws IOException;

    /** Scans a character stream to its end; does not close it. */
    ScanResult scan(Reader in, String source) throws IOException;

    ScanResult scan(CharSequence text, String source);

    /**
     * Plans a scan of one (large) file as parts of about {@code partBytes} bytes, cut after newlines, that
     * can run at once on several threads: run each of its tasks once, then take its result, which is
     * {@link #scan(Path)}'s for the file with {@code source} as the findings' source. See {@link FileParts}.
     */
    FileParts parts(Path file, String source, long partBytes) throws IOException;

    /** A redactor that masks what this scanner finds. */
    Redactor redactor();

    RuleSet rules();

    /** Builder for {@link SecretScanner}; not thread-safe. */
    final class Builder {
        /** Characters per window; memory use is a small multiple of it. */
        public static final int DEFAULT_CHUNK_SIZE = 512 * 1024;
        public static final int DEFAULT_DECODE_DEPTH = 4;
        public static final int DEFAULT_REGEX_STEPS_PER_CHAR = 2_000;

        RuleSet rules = BuiltinRules.all();
        String mayflyIssuer;
        Set<Decoding> decodings = EnumSet.allOf(Decoding.class);
        int decodeDepth = DEFAULT_DECODE_DEPTH;
        int regexStepsPerChar = DEFAULT_REGEX_STEPS_PER_CHAR;
        int chunkSize = DEFAULT_CHUNK_SIZE;
        boolean explain;

        Builder() {
        }

        /** The rules to apply (default: {@link BuiltinRules#all()}). */
        public Builder rules(RuleSet rules) {
            this.rules = Objects.requireNonNull(rules, "rules");
            return this;
        }

        /**
         * The broker's issuer URL: only access tokens with this {@code iss} count as Mayfly's own. Default
         * {@code null}: any {@code at+jwt} token with an issuer does.
         */
        public Builder mayflyIssuer(String issuer) {
            this.mayflyIssuer = issuer;
            return this;
        }

        /** Which decoders run (default: all). */
        public Builder decodings(Set<Decoding> decodings) {
            this.decodings = decodings.isEmpty() ? EnumSet.noneOf(Decoding.class) : EnumSet.copyOf(decodings);
            return this;
        }

        /** How many encodings deep a secret may be nested, e.g. base64 inside a JSON string is 2. */
        public Builder decodeDepth(int depth) {
            if (depth < 0 || depth > 16) {
                throw new IllegalArgumentException("decode depth must be between 0 and 16");
            }
            this.decodeDepth = depth;
            return this;
        }

        /**
         * The regex step budget, per character of the window a regex runs in. A regex that exceeds it (a
         * catastrophic backtracking pattern) is stopped for that window and reported as a warning.
         */
        public Builder regexStepsPerChar(int steps) {
            if (steps < 1) {
                throw new IllegalArgumentException("regex steps per char must be positive");
            }
            this.regexStepsPerChar = steps;
            return this;
        }

        /** Characters scanned per window (default {@value #DEFAULT_CHUNK_SIZE}); windows overlap. */
        public Builder chunkSize(int chars) {
            if (chars < 1) {
                throw new IllegalArgumentException("chunk size must be positive");
            }
            this.chunkSize = chars;
            return this;
        }

        /**
         * Whether results also list the matches rules refused, each with its reason
         * ({@link ScanResult#suppressed()}; default false). For a person checking why something was or was
         * not reported: every refused candidate is kept, so results grow with the input.
         */
        public Builder explain(boolean explain) {
            this.explain = explain;
            return this;
        }

        public SecretScanner build() {
            return new DefaultScanner(this);
        }
    }
}
