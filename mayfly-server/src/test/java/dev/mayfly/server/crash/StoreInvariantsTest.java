package dev.mayfly.server.crash;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mayfly.server.store.Database;
import java.nio.file.Path;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The crash test's store checks do fail on the damage they look for (a check that cannot fail proves nothing). */
class StoreInvariantsTest {
    @Test
    void halfWrittenFamiliesAndMissingAuditRecordsAreFound(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("mayfly.db");
        try (Database db = Database.openSqlite(file)) {
            db.inTransaction(c -> {
                try (Statement s = c.createStatement()) {
                    s.executeUpdate("INSERT INTO agents (agent_id, client_id, name, kind, scopes, audiences, secret_hash,"
                            + " created_at) VALUES ('agt_1', 'cli_1', 'a', 'interactive', '', '', 'h', 0)");
                    for (String sid : new String[] {"ses_ok", "ses_bare", "ses_gap", "ses_spent"}) {
                        s.executeUpdate("INSERT INTO sessions (session_id, agent_id, scopes, created_at, expires_at)"
                                + " VALUES ('" + sid + "', 'agt_1', '', 0, 1)");
                    }
                    s.executeUpdate("INSERT INTO refresh_tokens (token_hash, session_id, generation, issued_at, used_at) VALUES ('h0', 'ses_ok', 0, 0, 1)");
                    s.executeUpdate("INSERT INTO refresh_tokens (token_hash, session_id, generation, issued_at, used_at) VALUES ('h1', 'ses_ok', 1, 0, NULL)");
                    s.executeUpdate("INSERT INTO refresh_tokens (token_hash, session_id, generation, issued_at, used_at) VALUES ('h2', 'ses_gap', 0, 0, 1)");
                    s.executeUpdate("INSERT INTO refresh_tokens (token_hash, session_id, generation, issued_at, used_at) VALUES ('h3', 'ses_gap', 2, 0, NULL)");
                    s.executeUpdate("INSERT INTO refresh_tokens (token_hash, session_id, generation, issued_at, used_at) VALUES ('h4', 'ses_spent', 0, 0, 1)");
                    s.executeUpdate("INSERT INTO revocations (kind, target, revoked_at, covers_until)"
                            + " VALUES ('session', 'ses_ok', 0, 1)");
                }
                return null;
            });
        }
        assertThat(StoreInvariants.sqlite(file).violations()).containsExactlyInAnyOrder(
                "session ses_bare has no refresh token",
                "the refresh-token family of session ses_gap is not whole",
                "the refresh-token family of session ses_spent is not whole",
                "session ses_ok has no session.started audit record",
                "session ses_bare has no session.started audit record",
                "session ses_gap has no session.started audit record",
                "session ses_spent has no session.started audit record",
                "session ses_ok: rotations and token.refreshed audit records differ",
                "session ses_gap: rotations and token.refreshed audit records differ",
                "1 revocations but 0 revocation.created audit records");
    }
}
