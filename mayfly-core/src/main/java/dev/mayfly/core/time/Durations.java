package dev.mayfly.core.time;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as people write them on command lines and in policy files: {@code 90s}, {@code 5m}, {@code 1h30m}. */
public final class Durations {
    private static final Pattern PART = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");

    private Durations() {
    }

    /**
     * Parses one or more {@code <number><unit>} parts, units {@code ms s m h d}.
     *
     * @throws IllegalArgumentException with a message that quotes the input and shows the expected form
     */
    public static Duration parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty duration; expected a form like 90s, 5m or 1h");
        }
        String s = text.trim();
        Matcher m = PART.matcher(s);
        try {
            return sum(s, m, text);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(quote(text) + " is too long a duration");
        }
    }

    private static Duration sum(String s, Matcher m, String text) {
        Duration total = Duration.ZERO;
        int at = 0;
        while (at < s.length()) {
            if (!m.find(at) || m.start() != at) {
                throw new IllegalArgumentException(quote(text) + " is not a duration; expected a form like 90s, 5m or 1h");
            }
            long n = Long.parseLong(m.group(1));
            switch (m.group(2)) {
                case "ms": total = total.plusMillis(n); break;
                case "s": total = total.plusSeconds(n); break;
                case "m": total = total.plusMinutes(n); break;
                case "h": total = total.plusHours(n); break;
                default: total = total.plusDays(n); break;
            }
            at = m.end();
        }
        return total;
    }

    private static String quote(String text) {
        return "'" + (text.length() > 40 ? text.substring(0, 40) + "..." : text) + "'";
    }

    /** The shortest form {@link #parse} reads back: {@code 5m}, {@code 1h30m}, {@code 90s} → {@code 1m30s}. */
    public static String format(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        StringBuilder sb = new StringBuilder();
        if (d.isNegative()) {
            sb.append('-');
            d = d.negated();
        }
        long days = d.toDays();
        long hours = d.toHoursPart();
        long minutes = d.toMinutesPart();
        long seconds = d.toSecondsPart();
        long millis = d.toMillisPart();
        if (days > 0) sb.append(days).append('d');
        if (hours > 0) sb.append(hours).append('h');
        if (minutes > 0) sb.append(minutes).append('m');
        if (seconds > 0) sb.append(seconds).append('s');
        if (millis > 0) sb.append(millis).append("ms");
        if (sb.length() == 0 || sb.toString().equals("-")) {
            sb.append("1ms"); // under a millisecond: the smallest unit parse reads, rounded up
        }
        return sb.toString();
    }
}
