package dev.mayfly.server.audit;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.mayfly.core.json.Json;
import dev.mayfly.core.secret.Secret;
import dev.mayfly.server.store.Database;
import dev.mayfly.server.store.Dialect;
import dev.mayfly.server.store.ReusedStatement;
import dev.mayfly.server.store.Rows;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The tamper-evident audit trail. Every record carries the hash of its predecessor and its own hash over
 * that and its canonical form (sequence number included), so a modified, deleted or reordered record
 * breaks the chain at that point; {@link #verify} finds the first break. Records are appended in the
 * caller's transaction ({@link #append(Connection, AuditEvent)}): no token without its record.
 *
 * <p>Appends serialise on the audit chain's lock ({@link Dialect.Lock#AUDIT_CHAIN}: SQLite's one write lock,
 * taken by {@code BEGIN IMMEDIATE}; a transaction-scoped advisory lock on PostgreSQL, where several broker
 * nodes append to one chain), which is what keeps "read the last hash, write the next" atomic.
 */
public final class AuditLog {
    public static final String GENESIS = "0".repeat(64);
    private static final String COLUMNS = "seq, at, event, outcome, code, agent_id, session_id, task_id, jti, scopes, tier,"
            + " ttl_s, actor, client_addr, request_id, details, prev_hash, hash";
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };

    private final Database db;
    private final Clock clock;
    private final List<Consumer<AuditRecord>> listeners = new ArrayList<>();
    private final boolean enabled;

    public AuditLog(Database db, Clock clock) {
        this(db, clock, true);
    }

    /** @param enabled false only to measure the trail's cost in benchmarks: appends then record nothing */
    public AuditLog(Database db, Clock clock, boolean enabled) {
        this.db = db;
        this.clock = clock;
        this.enabled = enabled;
    }

    /** Called after each append (in the appending thread, before commit): metrics hang here. */
    public void onAppend(Consumer<AuditRecord> listener) {
        listeners.add(listener);
    }

    /** Appends in the caller's transaction. */
    public AuditRecord append(Connection c, AuditEvent e) throws SQLException {
        if (!enabled) {
            return null;
        }
        db.dialect().lock(c, Dialect.Lock.AUDIT_CHAIN);
        long prevSeq = 0;
        String prevHash = GENESIS;
        try (ReusedStatement s = ReusedStatement.prepare(c, "SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1");
             ResultSet rs = s.statement().executeQuery()) {
            if (rs.next()) {
                prevSeq = rs.getLong(1);
                prevHash = rs.getString(2);
            }
        }
        AuditRecord unhashed = new AuditRecord(prevSeq + 1, clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS),
                e.event, e.outcome, e.code, e.agentId, e.sessionId, e.taskId, e.jti, e.scopes, e.tier, e.ttlSeconds,
                e.actor(), e.origin.clientAddress(), e.origin.requestId(), e.details.isEmpty() ? null : e.details, prevHash, null);
        String hash = hash(prevHash, unhashed);
        AuditRecord r = new AuditRecord(unhashed.seq(), unhashed.at(), unhashed.event(), unhashed.outcome(), unhashed.code(),
                unhashed.agentId(), unhashed.sessionId(), unhashed.taskId(), unhashed.jti(), unhashed.scopes(),
                unhashed.tier(), unhashed.ttlSeconds(), unhashed.actor(), unhashed.clientAddress(), unhashed.requestId(),
                unhashed.details(), prevHash, hash);
        insert(c, r);
        listeners.forEach(l -> l.accept(r));
        return r;
    }

    /** Appends in a transaction of its own: for acts that change nothing else (denials, deliveries). */
    public AuditRecord append(AuditEvent e) {
        if (!enabled) {
            return null;
        }
        return db.inTransaction(c -> append(c, e));
    }

    static String hash(String prevHash, AuditRecord r) {
        return Secret.sha256Hex(prevHash + "\n" + Json.write(r.canonical()));
    }

    private static void insert(Connection c, AuditRecord r) throws SQLException {
        try (ReusedStatement s = ReusedStatement.prepare(c, "INSERT INTO audit_events (" + COLUMNS + ")"
                + " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
            PreparedStatement ps = s.statement();
            ps.setLong(1, r.seq());
            ps.setLong(2, r.at().toEpochMilli());
            ps.setString(3, r.event());
            ps.setString(4, r.outcome());
            ps.setString(5, r.code());
            ps.setString(6, r.agentId());
            ps.setString(7, r.sessionId());
            ps.setString(8, r.taskId());
            ps.setString(9, r.jti());
            ps.setString(10, r.scopes() == null ? null : Rows.join(r.scopes()));
            ps.setString(11, r.tier());
            if (r.ttlSeconds() == null) {
                ps.setNull(12, Types.BIGINT);
            } else {
                ps.setLong(12, r.ttlSeconds());
            }
            ps.setString(13, r.actor() == null ? null : Json.write(r.actor()));
            ps.setString(14, r.clientAddress());
            ps.setString(15, r.requestId());
            ps.setString(16, r.details() == null ? null : Json.write(r.details()));
            ps.setString(17, r.prevHash());
            ps.setString(18, r.hash());
            ps.executeUpdate();
        }
    }

    /** Records matching every given filter, in sequence order after {@code afterSeq}, at most {@code limit}. */
    public List<AuditRecord> query(AuditQuery q) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM audit_events WHERE seq > ?");
        List<Object> args = new ArrayList<>();
        args.add(q.afterSeq());
        filter(sql, args, "agent_id", q.agentId());
        filter(sql, args, "session_id", q.sessionId());
        filter(sql, args, "task_id", q.taskId());
        filter(sql, args, "jti", q.jti());
        filter(sql, args, "event", q.event());
        if (q.since() != null) {
            sql.append(" AND at >= ?");
            args.add(q.since().toEpochMilli());
        }
        if (q.until() != null) {
            sql.append(" AND at < ?");
            args.add(q.until().toEpochMilli());
        }
        sql.append(" ORDER BY seq LIMIT ?");
        args.add(q.limit());
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                for (int i = 0; i < args.size(); i++) {
                    ps.setObject(i + 1, args.get(i));
                }
                return list(ps);
            }
        });
    }

    private static void filter(StringBuilder sql, List<Object> args, String column, String value) {
        if (value != null) {
            sql.append(" AND ").append(column).append(" = ?");
            args.add(value);
        }
    }

    /** The outcome of walking the chain. */
    public record Verification(boolean valid, long checked, Long firstBadSeq, String problem, String headHash) {
    }

    /** Walks the whole chain in sequence order and reports the first record that does not fit. */
    public Verification verify() {
        return db.readInBatches(c -> {
            String prev = GENESIS;
            long expectedSeq = 1;
            long checked = 0;
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM audit_events ORDER BY seq")) {
                ps.setFetchSize(1000);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        AuditRecord r = map(rs);
                        if (r.seq() != expectedSeq) {
                            return new Verification(false, checked, r.seq(),
                                    "record " + expectedSeq + " is missing (next present is " + r.seq() + ")", prev);
                        }
                        if (!r.prevHash().equals(prev)) {
                            return new Verification(false, checked, r.seq(),
                                    "record " + r.seq() + " does not follow its predecessor (deleted or reordered records)", prev);
                        }
                        if (!hash(prev, r).equals(r.hash())) {
                            return new Verification(false, checked, r.seq(), "record " + r.seq() + " was modified", prev);
                        }
                        prev = r.hash();
                        expectedSeq++;
                        checked++;
                    }
                }
            }
            return new Verification(true, checked, null, null, prev);
        });
    }

    private static List<AuditRecord> list(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            List<AuditRecord> out = new ArrayList<>();
            while (rs.next()) {
                out.add(map(rs));
            }
            return out;
        }
    }

    private static AuditRecord map(ResultSet rs) throws SQLException {
        long ttl = rs.getLong("ttl_s");
        Long ttlSeconds = rs.wasNull() ? null : ttl;
        String scopes = rs.getString("scopes");
        return new AuditRecord(rs.getLong("seq"), Instant.ofEpochMilli(rs.getLong("at")), rs.getString("event"),
                rs.getString("outcome"), rs.getString("code"), rs.getString("agent_id"), rs.getString("session_id"),
                rs.getString("task_id"), rs.getString("jti"), scopes == null ? null : Rows.list(scopes),
                rs.getString("tier"), ttlSeconds, json(rs.getString("actor")), rs.getString("client_addr"),
                rs.getString("request_id"), json(rs.getString("details")), rs.getString("prev_hash"), rs.getString("hash"));
    }

    private static Map<String, Object> json(String s) {
        if (s == null) {
            return null;
        }
        try {
            return Json.mapper().readValue(s, MAP);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
