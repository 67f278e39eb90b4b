package dev.mayfly.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationVersion;

/**
 * Which schema version a build needs and which one a database has. Read with one small query on a request
 * connection, so a readiness check never runs Flyway (which opens connections of its own and scans the
 * class path) and never calls a schema "behind" merely because the database did not answer.
 */
final class SchemaVersion {
    private SchemaVersion() {
    }

    /** The newest migration this build ships (applied ones from newer builds do not count). */
    static MigrationVersion expected(Flyway flyway) {
        return Arrays.stream(flyway.info().all())
                .filter(i -> i.getState().isResolved() && i.getVersion() != null)
                .map(MigrationInfo::getVersion)
                .max(MigrationVersion::compareTo)
                .orElse(MigrationVersion.EMPTY);
    }

    /** The newest migration applied successfully to the database {@code c} is connected to. */
    static MigrationVersion applied(Connection c) throws SQLException {
        MigrationVersion newest = MigrationVersion.EMPTY;
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT version FROM flyway_schema_history WHERE success AND version IS NOT NULL");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                MigrationVersion v = MigrationVersion.fromVersion(rs.getString(1));
                if (v.compareTo(newest) > 0) {
                    newest = v;
                }
            }
        }
        return newest;
    }
}
