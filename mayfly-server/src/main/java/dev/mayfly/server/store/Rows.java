package dev.mayfly.server.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/** Column conventions shared by the stores: instants as epoch millis, string lists space-separated. */
public final class Rows {
    private Rows() {
    }

    public static Instant instant(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }

    public static Long millis(Instant i) {
        return i == null ? null : i.toEpochMilli();
    }

    public static List<String> list(String joined) {
        return joined == null || joined.isBlank() ? List.of() : Arrays.asList(joined.trim().split(" "));
    }

    public static String join(Collection<String> items) {
        return String.join(" ", items);
    }
}
