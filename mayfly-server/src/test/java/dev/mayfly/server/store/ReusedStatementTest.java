package dev.mayfly.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConnection;

class ReusedStatementTest {
    private static final String SELECT = "SELECT v FROM t WHERE k = ?";

    @TempDir
    Path dir;

    @Test
    void theSameStatementServesEveryBorrowerOfAConnectionWithFreshParameters() throws Exception {
        try (Database db = Database.openSqlite(dir.resolve("a.db"))) {
            db.inTransaction(c -> c.createStatement().executeUpdate("CREATE TABLE t (k TEXT PRIMARY KEY, v TEXT)"));
            db.inTransaction(c -> c.createStatement().executeUpdate("INSERT INTO t VALUES ('a', '1'), ('b', '2')"));
            PreparedStatement[] first = new PreparedStatement[1];
            String a = db.read(c -> {
                try (ReusedStatement s = ReusedStatement.prepare(c, SELECT)) {
                    first[0] = s.statement();
                    return value(s, "a");
                }
            });
            String[] again = db.read(c -> {
                try (ReusedStatement s = ReusedStatement.prepare(c, SELECT)) {
                    boolean same = s.statement() == first[0];
                    String unbound;
                    try (ResultSet rs = s.statement().executeQuery()) { // parameters cleared: k = NULL matches nothing
                        unbound = rs.next() ? rs.getString(1) : "none";
                    }
                    return new String[] {value(s, "b"), String.valueOf(same), unbound};
                }
            });
            assertThat(a).isEqualTo("1");
            assertThat(again[0]).isEqualTo("2");
            assertThat(again[2]).isEqualTo("none");
            // The pool's idle connection is handed out again, and with it the statement prepared on it.
            assertThat(again[1]).isEqualTo("true");
            assertThat(first[0].isClosed()).isFalse();
        }
    }

    @Test
    void aReusedStatementWritesInTheBorrowersTransaction() throws Exception {
        try (Database db = Database.openSqlite(dir.resolve("b.db"))) {
            db.inTransaction(c -> c.createStatement().executeUpdate("CREATE TABLE t (k TEXT PRIMARY KEY, v TEXT)"));
            try {
                db.inTransaction(c -> {
                    try (ReusedStatement s = ReusedStatement.prepare(c, "INSERT INTO t VALUES (?, ?)")) {
                        s.statement().setString(1, "x");
                        s.statement().setString(2, "rolled back");
                        s.statement().executeUpdate();
                    }
                    throw new IllegalStateException("roll back");
                });
            } catch (IllegalStateException expected) {
                // the transaction rolled back
            }
            int rows = db.read(c -> {
                try (ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM t")) {
                    rs.next();
                    return rs.getInt(1);
                }
            });
            assertThat(rows).isZero();
        }
    }

    @Test
    void statementsOfClosedConnectionsAreForgotten() throws Exception {
        Connection[] physical = new Connection[1];
        try (Database db = Database.openSqlite(dir.resolve("c.db"))) {
            db.read(c -> {
                physical[0] = c.unwrap(SQLiteConnection.class);
                try (ReusedStatement s = ReusedStatement.prepare(c, "SELECT 1")) {
                    return s.statement().executeQuery().next();
                }
            });
            assertThat(ReusedStatement.keepsStatementsOf(physical[0])).isTrue();
        }
        assertThat(physical[0].isClosed()).isTrue();
        try (Database db = Database.openSqlite(dir.resolve("d.db"))) {
            db.read(c -> {
                try (ReusedStatement s = ReusedStatement.prepare(c, "SELECT 1")) {
                    return s.statement().executeQuery().next();
                }
            });
        }
        assertThat(ReusedStatement.keepsStatementsOf(physical[0])).isFalse();
    }

    private static String value(ReusedStatement s, String key) throws java.sql.SQLException {
        s.statement().setString(1, key);
        try (ResultSet rs = s.statement().executeQuery()) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
