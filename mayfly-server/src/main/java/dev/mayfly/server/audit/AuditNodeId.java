package dev.mayfly.server.audit;

import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyError;
import dev.mayfly.core.error.MayflyException;
import dev.mayfly.server.home.MayflyHome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.regex.Pattern;

/**
 * Which audit chain this broker node appends to. Given with {@code --node-id}, or else generated once and kept
 * in {@code $MAYFLY_HOME/audit-node-id}, so a node restarted on the same home continues its chain. Two
 * processes that share an id still write one valid chain (each append locks the chain's head row), they just
 * serialise with each other; two ids never share a lock.
 */
public final class AuditNodeId {
    /** The chain of the records written before per-node chains (migration V10): no node appends to it. */
    public static final String LEGACY = "legacy";
    static final String FILE = "audit-node-id";
    private static final Pattern VALID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private AuditNodeId() {
    }

    /** The configured id when given (checked), else the one stored in {@code home}, created on first use. */
    public static String resolve(String configured, Path home) {
        if (configured != null) {
            return check(configured, "--node-id");
        }
        Path file = home.resolve(FILE);
        try {
            if (Files.exists(file)) {
                return check(Files.readString(file, StandardCharsets.US_ASCII).trim(), file.toString());
            }
            String id = generate();
            MayflyHome.writeSecretFile(file, (id + "\n").getBytes(StandardCharsets.US_ASCII));
            return id;
        } catch (IOException e) {
            throw new MayflyException(MayflyError.of(ErrorCode.PRECONDITION,
                    "Cannot read or create the audit node id file " + file + " (" + e.getClass().getSimpleName() + ")."), e);
        }
    }

    /** A fresh id: {@code node-} and 12 random characters (62 bits: no two nodes will draw the same). */
    public static String generate() {
        StringBuilder b = new StringBuilder("node-");
        for (int i = 0; i < 12; i++) {
            b.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return b.toString();
    }

    static String check(String id, String where) {
        if (!VALID.matcher(id).matches() || LEGACY.equals(id)) {
            throw new MayflyException(MayflyError.of(ErrorCode.USAGE, "The audit node id from " + where
                    + " must be 1-64 characters of a-z, 0-9, '.', '_' or '-', starting with a letter or digit, and not '"
                    + LEGACY + "'."));
        }
        return id;
    }
}
