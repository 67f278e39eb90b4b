package dev.mayfly.server.atrest;

import dev.mayfly.server.testing.BrokerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link AtRestContract} on the SQLite files themselves: the database, its WAL and shared-memory index. */
class SqliteAtRestTest extends AtRestContract {
    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    @Override
    BrokerExtension broker() {
        return broker;
    }

    @Override
    String stored() throws Exception {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.list(broker.home())) {
            List<Path> db = files.filter(p -> p.getFileName().toString().startsWith("mayfly.db")).toList();
            org.assertj.core.api.Assertions.assertThat(db).isNotEmpty();
            for (Path p : db) {
                all.append(latin1(Files.readAllBytes(p))).append('\n');
            }
        }
        return all.toString();
    }

    @Override
    Connection connect() throws Exception {
        return DriverManager.getConnection("jdbc:sqlite:" + broker.home().resolve("mayfly.db"));
    }
}
