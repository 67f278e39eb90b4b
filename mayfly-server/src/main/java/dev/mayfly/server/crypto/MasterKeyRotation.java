package dev.mayfly.server.crypto;

import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyError;
import dev.mayfly.core.error.MayflyException;
import dev.mayfly.server.home.MayflyHome;
import dev.mayfly.server.store.Database;
import dev.mayfly.server.store.Dialect;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Master-key rotation ({@code mayfly keys rotate-master}, brokers stopped): every value stored encrypted
 * under the master key is re-encrypted under a new one in a single transaction, then the new key replaces
 * the old, which is not needed afterwards.
 *
 * <p>Crash-safe and idempotent: the new key is staged in {@code master.key.next} (0600) before the
 * database changes; the transaction commits all rows or none; only then is {@code master.key.next} renamed
 * over {@code master.key}. A value is re-encrypted only if it does not already decrypt under the new key,
 * and it may be under the old key or the staged one, so running the command again after a crash at any
 * point finishes the job, and running it on a finished rotation changes nothing. A broker started between
 * the commit and the rename refuses to start with a PRECONDITION that says to run the command again.
 */
public final class MasterKeyRotation {
    /** A column holding a value encrypted under the master key; the row id is its associated data. */
    public record EncryptedColumn(String table, String idColumn, String valueColumn) {
    }

    /** Every encrypted column in the schema: a new one must be listed here, or rotation would strand it. */
    public static final List<EncryptedColumn> COLUMNS = List.of(
            new EncryptedColumn("signing_keys", "kid", "private_jwk_enc"),
            new EncryptedColumn("webhooks", "webhook_id", "secret_enc"));

    /** What a rotation did, and where the new key now is (never the key itself). */
    public record Outcome(int reencrypted, int alreadyCurrent, String newKeyLocation) {
    }

    private MasterKeyRotation() {
    }

    /**
     * Rotates the master key of the broker with this home and database. The current key comes from
     * {@code MAYFLY_MASTER_KEY} or the home's key file; the new one from {@code newKeyFile}, else a staged
     * {@code master.key.next} of an interrupted run, else a fresh random key. With {@code MAYFLY_MASTER_KEY}
     * set, {@code newKeyFile} is required and the operator then sets {@code MAYFLY_MASTER_KEY} to it.
     */
    public static Outcome rotate(MayflyHome home, Database db, Map<String, String> env, Path newKeyFile) {
        String fromEnv = env.get(MasterKey.ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            if (newKeyFile == null) {
                throw new MayflyException(MayflyError.of(ErrorCode.USAGE, "The master key comes from " + MasterKey.ENV
                        + ": give the new key with --new-master-key-file FILE (e.g. 'openssl rand -base64 32 > FILE'), "
                        + "then set " + MasterKey.ENV + " to its content for every broker."));
            }
            MasterKey next = MasterKey.read(newKeyFile);
            return reencrypt(db, List.of(MasterKey.fromText(fromEnv, "environment variable " + MasterKey.ENV)), next,
                    "the file " + newKeyFile + " (set " + MasterKey.ENV + " to its content for every broker)");
        }
        Path keyFile = home.masterKeyFile();
        Path staged = MasterKey.nextKeyFile(keyFile);
        if (!Files.exists(keyFile)) {
            throw new MayflyException(MayflyError.of(ErrorCode.PRECONDITION, "There is no master key to rotate: " + keyFile
                    + " does not exist and " + MasterKey.ENV + " is not set. Start the broker once to create one."));
        }
        List<MasterKey> previous = new ArrayList<>();
        previous.add(MasterKey.read(keyFile));
        MasterKey next;
        if (newKeyFile != null) {
            next = MasterKey.read(newKeyFile);
            if (Files.exists(staged) && !MasterKey.read(staged).toBase64().equals(next.toBase64())) {
                // That run may have committed under its key: overwriting the staged key could lose it.
                throw new MayflyException(MayflyError.of(ErrorCode.CONFLICT, "An interrupted rotation staged another "
                        + "new key in " + staged + "; run 'mayfly keys rotate-master' without --new-master-key-file "
                        + "to finish that one first."));
            }
            writeKey(staged, next);
        } else if (Files.exists(staged)) {
            next = MasterKey.read(staged);
        } else {
            next = MasterKey.generate("key file " + keyFile);
            writeKey(staged, next);
        }
        Outcome o = reencrypt(db, previous, next, "key file " + keyFile);
        install(staged, keyFile);
        return o;
    }

    /**
     * Re-encrypts, in one transaction, every encrypted value that does not decrypt under {@code next} but
     * does under one of {@code previous}; a value under none of them aborts the whole rotation.
     */
    public static Outcome reencrypt(Database db, List<MasterKey> previous, MasterKey next, String newKeyLocation) {
        return db.inTransaction(c -> {
            // Keeps a broker on PostgreSQL that was not stopped from adding a key under the old master key meanwhile.
            db.dialect().lock(c, Dialect.Lock.SIGNING_KEYS);
            int changed = 0;
            int current = 0;
            for (EncryptedColumn col : COLUMNS) {
                for (String[] row : rows(c, col)) {
                    String id = row[0];
                    if (next.tryDecrypt(row[1], id).isPresent()) {
                        current++;
                        continue;
                    }
                    String plain = previous.stream().map(k -> k.tryDecrypt(row[1], id)).flatMap(Optional::stream)
                            .findFirst().orElseThrow(() -> new MayflyException(MayflyError.of(ErrorCode.PRECONDITION,
                                    "The value in " + col.table() + " " + id + " decrypts neither under the current "
                                            + "master key nor under the new one; nothing was changed. Run the command "
                                            + "with the master key the broker runs with.")));
                    update(c, col, id, next.encrypt(plain, id));
                    changed++;
                }
            }
            return new Outcome(changed, current, newKeyLocation);
        });
    }

    private static List<String[]> rows(Connection c, EncryptedColumn col) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT " + col.idColumn() + ", " + col.valueColumn() + " FROM " + col.table());
             ResultSet rs = ps.executeQuery()) {
            List<String[]> out = new ArrayList<>();
            while (rs.next()) {
                out.add(new String[] {rs.getString(1), rs.getString(2)});
            }
            return out;
        }
    }

    private static void update(Connection c, EncryptedColumn col, String id, String value) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE " + col.table() + " SET " + col.valueColumn() + " = ? WHERE " + col.idColumn() + " = ?")) {
            ps.setString(1, value);
            ps.setString(2, id);
            ps.executeUpdate();
        }
    }

    private static void writeKey(Path file, MasterKey key) {
        try {
            MayflyHome.writeSecretFile(file, (key.toBase64() + "\n").getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new MayflyException(MayflyError.of(ErrorCode.PRECONDITION,
                    "Cannot write the new master key to " + file + " (" + e.getClass().getSimpleName() + ")."), e);
        }
    }

    /** The staged key becomes the key: one atomic rename, after which the old key exists nowhere. */
    private static void install(Path staged, Path keyFile) {
        try {
            try {
                Files.move(staged, keyFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(staged, keyFile, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new MayflyException(MayflyError.of(ErrorCode.PARTIAL_FAILURE, "The stored keys are re-encrypted under "
                    + "the new master key in " + staged + ", but it could not replace " + keyFile + " ("
                    + e.getClass().getSimpleName() + "); run 'mayfly keys rotate-master' again to finish."), e);
        }
    }
}
