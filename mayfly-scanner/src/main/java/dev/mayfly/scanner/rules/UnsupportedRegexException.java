package dev.mayfly.scanner.rules;

/** A Go RE2 construct that cannot be translated; the message names the construct, never input data. */
final class UnsupportedRegexException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UnsupportedRegexException(String message) {
        super(message);
    }
}
