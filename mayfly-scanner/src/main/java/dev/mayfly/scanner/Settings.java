package dev.mayfly.scanner;

import java.util.EnumSet;
import java.util.Set;

/** A scanner's options, fixed at build time. */
final class Settings {
    final String mayflyIssuer;
    final Set<Decoding> decodings;
    final int decodeDepth;
    final int regexStepsPerChar;
    final int chunkSize;
    final boolean explain;

    Settings(SecretScanner.Builder b) {
        this.mayflyIssuer = b.mayflyIssuer;
        this.decodings = b.decodings.isEmpty() ? EnumSet.noneOf(Decoding.class) : EnumSet.copyOf(b.decodings);
        this.decodeDepth = b.decodeDepth;
        this.regexStepsPerChar = b.regexStepsPerChar;
        this.chunkSize = b.chunkSize;
        this.explain = b.explain;
    }

    boolean decodes(Decoding d) {
        return decodings.contains(d);
    }
}
