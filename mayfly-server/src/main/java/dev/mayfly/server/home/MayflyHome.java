package dev.mayfly.server.home;

import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyError;
import dev.mayfly.core.error.MayflyException;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * The broker's home directory ({@code --home}, {@code $MAYFLY_HOME}, else {@code ~/.mayfly}): the SQLite
 * database, the generated master key and the bootstrap admin's credentials. Secret files are written
 * atomically with mode 0600 and the directory is 0700.
 */
public final class MayflyHome {
    private final Path dir;

    private MayflyHome(Path dir) {
        this.dir = dir;
    }

    /** The home to use: an explicit path, else {@code MAYFLY_HOME}, else {@code ~/.mayfly}. */
    public static Path resolve(Path explicit, Map<String, String> env) {
        if (explicit != null) {
            return explicit;
        }
        String fromEnv = env.get("MAYFLY_HOME");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Path.of(fromEnv);
        }
        return Path.of(System.getProperty("user.home"), ".mayfly");
    }

    /** Creates the directory (0700) if needed. */
    public static MayflyHome open(Path dir) {
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir);
                if (posix()) {
                    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
                }
            }
            if (!Files.isWritable(dir)) {
                throw new IOException("not writable");
            }
            return new MayflyHome(dir);
        } catch (IOException e) {
            throw new MayflyException(MayflyError.of(ErrorCode.PRECONDITION,
                    "Cannot use " + dir + " as the Mayfly home (" + e.getMessage() + "); choose another with --home."), e);
        }
    }

    public Path dir() {
        return dir;
    }

    public Path database() {
        return dir.resolve("mayfly.db");
    }

    public Path masterKeyFile() {
        return dir.resolve("master.key");
    }

    public Path adminCredentials() {
        return dir.resolve("admin.json");
    }

    /** Writes a secret file: to a 0600 temporary file in the same directory, then an atomic rename. */
    public static void writeSecretFile(Path target, byte[] content) throws IOException {
        Path parent = target.toAbsolutePath().getParent();
        Path tmp = posix()
                ? Files.createTempFile(parent, ".tmp-", ".part",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                : Files.createTempFile(parent, ".tmp-", ".part");
        try {
            Files.write(tmp, content);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }
}
