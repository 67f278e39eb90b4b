package dev.mayfly.server.atrest;

import dev.mayfly.server.testing.BrokerExtension;
import dev.mayfly.server.testing.Postgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link AtRestContract} on PostgreSQL: every column of every row of every table in the broker's schema. */
class PostgresAtRestTest extends AtRestContract {
    private static final String URL = Postgres.shared().createDatabase();

    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension(b -> b.database(URL, Postgres.USER, null));

    @Override
    BrokerExtension broker() {
        return broker;
    }

    @Override
    String stored() throws Exception {
        StringBuilder all = new StringBuilder();
        try (Connection c = connect()) {
            List<String> tables = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            org.assertj.core.api.Assertions.assertThat(tables).contains("agents", "refresh_tokens", "signing_keys", "webhooks");
            for (String table : tables) {
                try (PreparedStatement ps = c.prepareStatement("SELECT * FROM \"" + table + "\"");
                     ResultSet rs = ps.executeQuery()) {
                    int columns = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        for (int i = 1; i <= columns; i++) {
                            all.append(rs.getString(i)).append('\t');
                        }
                        all.append('\n');
                    }
                }
            }
        }
        return all.toString();
    }

    @Override
    Connection connect() throws Exception {
        Properties p = new Properties();
        p.setProperty("user", Postgres.USER);
        return DriverManager.getConnection(URL, p);
    }
}
