package dev.mayfly.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mayfly.core.json.Json;
import dev.mayfly.core.secret.Secret;
import dev.mayfly.server.crypto.MasterKey;
import dev.mayfly.server.store.Database;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A trail written before per-node chains (schema V7, one global SHA-256 chain) survives migration V10: its
 * records keep their sequence numbers and still verify, as the 'legacy' chain; new node chains start from
 * its head, so rewriting the legacy chain afterwards (which a database writer can, its hashes being plain)
 * breaks the first keyed record of every node.
 */
class LegacyChainMigrationTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-22T14:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    @Test
    void legacyRecordsStillVerifyAndAreRechainedUnderTheKey() throws Exception {
        Path file = dir.resolve("mayfly.db");
        String url = "jdbc:sqlite:" + file;
        Flyway.configure().dataSource(url, null, null).locations("classpath:db/migration/common")
                .placeholders(Map.of("serial_pk", "INTEGER PRIMARY KEY AUTOINCREMENT")).target("7").load().migrate();
        try (Connection c = DriverManager.getConnection(url)) {
            String prev = AuditLog.GENESIS;
            for (int seq = 1; seq <= 3; seq++) {
                prev = insertOldStyle(c, seq, prev, "old.event." + seq);
            }
        }

        MasterKey masterKey = MasterKey.generate("test");
        try (Database db = Database.openSqlite(file)) {
            AuditLog audit = new AuditLog(db, CLOCK, new AuditChainKey(masterKey), "node-a", null, true);
            for (int i = 0; i < 3; i++) {
                audit.append(AuditEvent.of(RequestContext.NONE, "new.event").detail("i", i));
            }
            AuditVerification v = audit.verify();
            assertThat(v.valid()).as(v.problem()).isTrue();
            assertThat(v.checked()).isEqualTo(6);
            assertThat(v.nodes()).extracting(AuditVerification.NodeChain::node).containsExactly(AuditNodeId.LEGACY, "node-a");
            assertThat(v.nodes().get(0).keyed()).isFalse();
            assertThat(v.nodes().get(1).keyed()).isTrue();
            // old cursors still point where they did; new records follow in the global order
            assertThat(audit.query(new AuditQuery(null, null, null, null, null, null, null, 0, 10)))
                    .extracting(AuditRecord::seq).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);

            // a database writer rewrites legacy record 2 and recomputes the legacy chain: it is plain SHA-256, so
            // the legacy chain itself verifies, but node-a's first keyed record still names the old legacy head
            try (Connection c = DriverManager.getConnection(url)) {
                ChainTampering.editAndRecomputeLegacy(c, 2, "{\"reason\":\"forged\"}");
            }
            v = audit.verify();
            assertThat(v.valid()).isFalse();
            assertThat(v.nodes().get(0).valid()).isTrue();
            assertThat(v.nodes().get(1).problem()).contains("record 1 does not follow its predecessor");
        }
    }

    /** A record exactly as the pre-V10 AuditLog wrote it: SHA-256 over the previous hash and its canonical form. */
    private static String insertOldStyle(Connection c, long seq, String prev, String event) throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seq", seq);
        m.put("at", CLOCK.millis());
        m.put("event", event);
        m.put("outcome", "success");
        for (String k : new String[] {"code", "agent_id", "session_id", "task_id", "jti", "scopes", "tier", "ttl_s", "actor",
                "client_addr", "request_id", "details"}) {
            m.put(k, null);
        }
        String hash = Secret.sha256Hex(prev + "\n" + Json.write(m));
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO audit_events (seq, at, event, outcome, prev_hash, hash)"
                + " VALUES (?, ?, ?, 'success', ?, ?)")) {
            ps.setLong(1, seq);
            ps.setLong(2, CLOCK.millis());
            ps.setString(3, event);
            ps.setString(4, prev);
            ps.setString(5, hash);
            ps.executeUpdate();
        }
        return hash;
    }
}
