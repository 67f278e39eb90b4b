package dev.mayfly.server.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.core.json.Json;
import dev.mayfly.server.home.MayflyHome;
import dev.mayfly.server.store.Database;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Signed checkpoints of every node's chain head, against truncation: a database writer can delete a chain's
 * tail (and fix the head row), but not forge a checkpoint naming a shorter chain, and every checkpoint
 * written before the deletion still names a record that is gone. Written to {@code audit_checkpoints} and,
 * when a directory is configured, also to {@code audit-checkpoint-<node>.json} there (the newest one of this
 * node), out of reach of someone who can only write the database, so deleting the checkpoint rows too is
 * still detected. {@link AuditCheckpointer} decides when to write one.
 */
public final class AuditCheckpoints {
    static final String FILE_PREFIX = "audit-checkpoint-";

    private final Database db;
    private final AuditChainKey key;
    private final Clock clock;
    private final String nodeId;
    private final Path dir;
    private final AtomicLong sinceLast = new AtomicLong();
    private volatile long every = Long.MAX_VALUE;
    private volatile Runnable due = () -> { };

    AuditCheckpoints(Database db, AuditChainKey key, Clock clock, String nodeId, Path dir) {
        this.db = db;
        this.key = key;
        this.clock = clock;
        this.nodeId = nodeId;
        this.dir = dir;
    }

    /** Calls {@code due} (on the appending thread: it must only hand the work off) once every {@code records} appends. */
    void whenDue(long records, Runnable due) {
        this.every = records;
        this.due = due;
    }

    void appended() {
        if (sinceLast.incrementAndGet() >= every) {
            sinceLast.set(0);
            due.run();
        }
    }

    /** Writes a checkpoint of every node's committed head, now, and returns it. */
    public AuditCheckpoint write() {
        sinceLast.set(0);
        Map<String, AuditCheckpoint.Head> heads = new TreeMap<>();
        db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT node_id, seq, hash FROM audit_nodes");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    heads.put(rs.getString(1), new AuditCheckpoint.Head(rs.getLong(2), rs.getString(3)));
                }
            }
            return null;
        });
        AuditCheckpoint cp = new AuditCheckpoint(nodeId, clock.instant(), heads);
        String mac = key.checkpoint(cp.canonical());
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO audit_checkpoints (node_id, at, heads, mac) VALUES (?, ?, ?, ?)")) {
                ps.setString(1, nodeId);
                ps.setLong(2, cp.at().toEpochMilli());
                ps.setString(3, Json.write(cp.canonical().get("heads")));
                ps.setString(4, mac);
                ps.executeUpdate();
            }
            return null;
        });
        if (dir != null) {
            writeFile(cp, mac);
        }
        return cp;
    }

    private void writeFile(AuditCheckpoint cp, String mac) {
        Map<String, Object> body = new LinkedHashMap<>(cp.canonical());
        body.put("mac", mac);
        try {
            Files.createDirectories(dir);
            MayflyHome.writeSecretFile(dir.resolve(FILE_PREFIX + nodeId + ".json"),
                    (Json.write(body) + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the audit checkpoint file in " + dir, e);
        }
    }

    /** What the valid checkpoints claim: per node, the furthest head any of them names. */
    Claims claims() {
        Claims claims = new Claims();
        db.readInBatches(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id, node_id, at, heads, mac FROM audit_checkpoints ORDER BY id")) {
                ps.setFetchSize(1000);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        claims.inDatabase++;
                        String where = "checkpoint #" + rs.getLong(1) + " of node " + rs.getString(2);
                        JsonNode heads;
                        try {
                            heads = Json.mapper().readTree(rs.getString(4));
                        } catch (IOException e) {
                            claims.invalid(where + " cannot be read");
                            continue;
                        }
                        claims.add(parse(rs.getString(2), rs.getLong(3), heads), rs.getString(5), where);
                    }
                }
            }
            return null;
        });
        if (dir != null && Files.isDirectory(dir)) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, FILE_PREFIX + "*.json")) {
                for (Path f : files) {
                    claims.inFiles++;
                    String where = "checkpoint file " + f.getFileName();
                    try {
                        JsonNode n = Json.mapper().readTree(f.toFile());
                        claims.add(parse(n.path("writer").asText(), n.path("at").asLong(), n.path("heads")),
                                n.path("mac").asText(), where);
                    } catch (IOException | RuntimeException e) {
                        claims.invalid(where + " cannot be read");
                    }
                }
            } catch (IOException e) {
                claims.invalid("the checkpoint directory " + dir + " cannot be read");
            }
        }
        return claims;
    }

    private static AuditCheckpoint parse(String writer, long at, JsonNode headsJson) {
        Map<String, AuditCheckpoint.Head> heads = new TreeMap<>();
        headsJson.fields().forEachRemaining(e -> heads.put(e.getKey(),
                new AuditCheckpoint.Head(e.getValue().path("seq").asLong(), e.getValue().path("hash").asText())));
        return new AuditCheckpoint(writer, Instant.ofEpochMilli(at), heads);
    }

    /** The furthest head per node that a valid checkpoint names, and what was wrong with the others. */
    final class Claims {
        final Map<String, Claim> furthest = new TreeMap<>();
        long inDatabase;
        long inFiles;
        long invalid;
        Instant newest;
        String problem;

        private void add(AuditCheckpoint cp, String mac, String where) {
            byte[] expected = key.checkpoint(cp.canonical()).getBytes(StandardCharsets.US_ASCII);
            if (!MessageDigest.isEqual(expected, mac.getBytes(StandardCharsets.US_ASCII))) {
                invalid(where + " fails its MAC (forged or altered)");
                return;
            }
            newest = newest == null || cp.at().isAfter(newest) ? cp.at() : newest;
            cp.heads().forEach((node, head) -> {
                Claim known = furthest.get(node);
                if (known == null || head.seq() > known.seq()) {
                    furthest.put(node, new Claim(head.seq(), head.hash(), where + " at " + cp.at()));
                }
            });
        }

        private void invalid(String what) {
            invalid++;
            if (problem == null) {
                problem = what;
            }
        }
    }

    /** A checkpoint's word that a node's chain holds record {@code seq} with hash {@code hash}. */
    record Claim(long seq, String hash, String where) {
    }
}
