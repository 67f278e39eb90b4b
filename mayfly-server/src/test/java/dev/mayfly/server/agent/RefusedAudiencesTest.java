package dev.mayfly.server.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mayfly.server.store.AgentStore;
import dev.mayfly.server.store.Database;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Agents stored before the audience rule, read back from a real SQLite database as the broker does at start. */
class RefusedAudiencesTest {
    @TempDir
    Path dir;

    @Test
    void reportsEnabledAgentsWithAudiencesTheRuleRefusesAndTheirPositions() {
        Database db = Database.openSqlite(dir.resolve("mayfly.db"));
        try {
            // Written as an older broker did, past today's validation (a slash, an ftp URI); one disabled, one fine.
            insert(db, "agt_legacy", "legacy-bot", "https://orders.example api/orders ftp://files.example", null);
            insert(db, "agt_gone", "gone-bot", "api/orders", 1L);
            insert(db, "agt_fine", "fine-bot", "https://orders.example urn:mayfly:billing orders-api", null);

            List<RefusedAudiences.Finding> found = RefusedAudiences.find(db, new AgentStore());

            assertThat(found).containsExactly(new RefusedAudiences.Finding("agt_legacy", "legacy-bot", List.of(2, 3)));
            assertThat(RefusedAudiences.warn(db, new AgentStore())).isEqualTo(1);
        } finally {
            db.close();
        }
    }

    private static void insert(Database db, String id, String name, String audiences, Long disabledAt) {
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO agents (agent_id, client_id, name, kind, scopes, "
                    + "audiences, secret_hash, created_at, disabled_at) VALUES (?, ?, ?, 'llm', 'orders:read', ?, ?, 0, ?)")) {
                ps.setString(1, id);
                ps.setString(2, "cid_" + id);
                ps.setString(3, name);
                ps.setString(4, audiences);
                ps.setString(5, "0".repeat(54) + id);
                if (disabledAt == null) {
                    ps.setNull(6, java.sql.Types.BIGINT);
                } else {
                    ps.setLong(6, disabledAt);
                }
                ps.executeUpdate();
            }
            return null;
        });
    }
}
