package dev.mayfly.server.store;

import com.zaxxer.hikari.SQLExceptionOverride;
import java.sql.SQLException;

/**
 * After a failover the old primary may stay up as a read-only standby, and pooled connections to it stay
 * "valid": every write on them fails with {@code read_only_sql_transaction} (SQLSTATE 25006) until they age
 * out. Evicting such a connection at its first refused write makes the pool open a new one, which a JDBC
 * URL naming every server with {@code targetServerType=primary} (or a name that follows the primary) sends
 * to the new primary. Everything else is left to HikariCP's own rules.
 */
final class DemotedPrimaryEviction implements SQLExceptionOverride {
    @java.lang.Override
    public Override adjudicate(SQLException e) {
        return "25006".equals(e.getSQLState()) ? Override.MUST_EVICT : Override.CONTINUE_EVICT;
    }
}
