package dev.mayfly.cli.context;

import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyException;
import dev.mayfly.core.time.Durations;
import java.time.Duration;

/** Durations on the command line ({@code 90s}, {@code 5m}, {@code 1h}), checked into a catalog USAGE error. */
public final class DurationOption {
    private DurationOption() {
    }

    public static Duration parse(String text, String flag) {
        try {
            Duration d = Durations.parse(text);
            if (d.isZero() || d.isNegative()) {
                throw new IllegalArgumentException("a duration of zero is not allowed");
            }
            return d;
        } catch (IllegalArgumentException e) {
            throw new MayflyException(ErrorCode.USAGE, flag + ": " + e.getMessage());
        }
    }

    /** Whole seconds (at least 1) as the token endpoint's {@code ttl} wants them, or {@code null} when not given. */
    public static Long seconds(String text, String flag) {
        if (text == null) {
            return null;
        }
        return Math.max(1, parse(text, flag).toSeconds());
    }
}
