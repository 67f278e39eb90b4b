package dev.mayfly.server.store;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The repository tests on the embedded default, SQLite. */
class SqliteStoreTest extends StoreContract {
    @TempDir
    Path dir;

    @Override
    protected Database open() {
        return Database.openSqlite(dir.resolve("test.db"));
    }
}
