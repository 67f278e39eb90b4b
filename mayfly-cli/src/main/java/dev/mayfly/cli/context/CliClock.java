package dev.mayfly.cli.context;

import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * The one place the CLI takes its time from: the system clock, unless {@value #FAKE_NOW_FILE} names a file.
 *
 * <p><b>Test-only seam.</b> Black-box tests run {@code mayfly.jar} as a subprocess against a broker whose
 * {@code ManualClock} they move; they write the broker's new instant (ISO-8601, e.g.
 * {@code 2026-11-22T14:16:00Z}) into that file whenever they move it. The file is re-read on every call, so
 * a long-running {@code mayfly exec} sees time move too, and nobody sleeps to wait for an expiry. The seam
 * grants nothing: the broker decides expiry with its own clock; a wrong local clock only makes the CLI
 * refresh early or late.
 */
public final class CliClock {
    public static final String FAKE_NOW_FILE = "MAYFLY_FAKE_NOW_FILE";

    private CliClock() {
    }

    public static Clock from(Map<String, String> env) {
        String file = env.get(FAKE_NOW_FILE);
        if (file == null || file.isBlank()) {
            return Clock.systemUTC();
        }
        return new FileClock(Path.of(file));
    }

    /** Reads the instant from a file on every call; thread-safe (stateless). */
    static final class FileClock extends Clock {
        private final Path file;

        FileClock(Path file) {
            this.file = file;
        }

        @Override
        public Instant instant() {
            try {
                return Instant.parse(Files.readString(file, StandardCharsets.UTF_8).trim());
            } catch (IOException | DateTimeParseException e) {
                throw new MayflyException(ErrorCode.PRECONDITION,
                        FAKE_NOW_FILE + " is set but " + file + " does not hold an ISO-8601 instant.");
            }
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
