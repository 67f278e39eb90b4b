package dev.mayfly.scanner.rules;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * One regex match as a rule's checks see it: the secret (the secret group, or the whole match), the whole
 * match, the line around it, the path of the input and the configured Mayfly issuer.
 *
 * <p>It holds a secret in clear: never log it. {@link #toString()} shows nothing of it. Not thread-safe
 * (the line is computed lazily); a candidate lives only while its match is checked.
 */
public final class Candidate {
    /** How much of the text before the match {@link #before()} gives at most. */
    public static final int BEFORE_CONTEXT = 64;

    private final String secret;
    private final String match;
    private final String path;
    private final Supplier<String> lineSupplier;
    private final Supplier<String> beforeSupplier;
    private final String mayflyIssuer;
    private String line;
    private String before;
    private double entropy = Double.NaN;

    private Candidate(String secret, String match, String path, Supplier<String> lineSupplier,
            Supplier<String> beforeSupplier, String mayflyIssuer) {
        this.secret = Objects.requireNonNull(secret, "secret");
        this.match = match == null ? secret : match;
        this.path = path == null ? "" : path;
        this.lineSupplier = lineSupplier;
        this.beforeSupplier = beforeSupplier;
        this.mayflyIssuer = mayflyIssuer;
    }

    /** A candidate whose match, line and path are the secret itself; for checks and tests. */
    public static Candidate of(String secret) {
        return new Candidate(secret, secret, "", null, null, null);
    }

    /**
     * @param line computes the line of the input around the match (only asked for by allowlists that target
     *     lines); {@code null} means the match itself
     * @param mayflyIssuer the issuer URL of Mayfly access tokens, or {@code null} for any issuer
     */
    public static Candidate of(String secret, String match, String path, Supplier<String> line, String mayflyIssuer) {
        return new Candidate(secret, match, path, line, null, mayflyIssuer);
    }

    /**
     * @param before computes the text just before the match on its line (at most
     *     {@value #BEFORE_CONTEXT} characters); {@code null} means none
     */
    public static Candidate of(String secret, String match, String path, Supplier<String> line,
            Supplier<String> before, String mayflyIssuer) {
        return new Candidate(secret, match, path, line, before, mayflyIssuer);
    }

    public String secret() {
        return secret;
    }

    public String match() {
        return match;
    }

    /** The path of the input with {@code /} separators, or {@code ""} for a stream without one. */
    public String path() {
        return path;
    }

    public String line() {
        if (line == null) {
            line = lineSupplier == null ? match : lineSupplier.get();
        }
        return line;
    }

    /** Up to {@value #BEFORE_CONTEXT} characters before the match, on the same line; e.g. the rest of a key name. */
    public String before() {
        if (before == null) {
            before = beforeSupplier == null ? "" : beforeSupplier.get();
        }
        return before;
    }

    public String mayflyIssuer() {
        return mayflyIssuer;
    }

    /** Shannon entropy of the secret in bits per character. */
    public double entropy() {
        if (Double.isNaN(entropy)) {
            entropy = Shannon.entropy(secret);
        }
        return entropy;
    }

    @Override
    public String toString() {
        return "Candidate[redacted]";
    }
}
