package dev.mayfly.bench.corpus;

import java.util.Locale;

/**
 * Look-alikes that are not secrets. {@link #strict} marks the checksummed and structured ones: the
 * scanner can prove them fake, so flagging any is a defect (target: none flagged).
 */
enum DecoyType {
    MAYFLY_BAD_CHECKSUM(true),
    GITHUB_BAD_CHECKSUM(true),
    BROKEN_JWT(true),
    BROKEN_PEM(true),
    PLACEHOLDER(false),
    EXAMPLE_KEY(false),
    HEX_DIGEST(false),
    /** Cache keys, request ids, resource names and ARNs under key-like names (issue 24's false positives). */
    IDENTIFIER(false),
    /** Credential shapes with stand-in values: {@code postgres:postgres@}, {@code Basic user:password}, prose. */
    CREDENTIAL_STAND_IN(false);

    final boolean strict;

    DecoyType(boolean strict) {
        this.strict = strict;
    }

    String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
