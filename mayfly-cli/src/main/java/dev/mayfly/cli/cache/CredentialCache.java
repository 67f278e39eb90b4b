package dev.mayfly.cli.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyError;
import dev.mayfly.core.error.MayflyException;
import dev.mayfly.core.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The credential cache: {@code $MAYFLY_HOME/credentials.json} (mode 0600), one session per broker URL.
 *
 * <ul>
 *   <li>Reads take no lock: every write replaces the file by an atomic rename, so a reader always sees a
 *       whole version.</li>
 *   <li>Writes require the {@link CacheLock} ({@code credentials.lock} next to it). Anyone about to refresh
 *       takes the lock and <em>reads again</em> before deciding, because the broker treats a second use of a
 *       rotated refresh token as theft and revokes the whole session: two invocations must never both
 *       present the same refresh token.</li>
 * </ul>
 */
public final class CredentialCache {
    public static final String FILE = "credentials.json";
    public static final String LOCK_FILE = "credentials.lock";
    public static final Duration LOCK_TIMEOUT = Duration.ofSeconds(30);

    private final Path file;
    private final Path lockFile;

    public CredentialCache(Path home) {
        this.file = home.resolve(FILE);
        this.lockFile = home.resolve(LOCK_FILE);
    }

    public Path file() {
        return file;
    }

    public Optional<CachedSession> read(String url) {
        JsonNode entry = readAll().get(url);
        if (entry == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(CachedSession.fromJson(entry));
        } catch (RuntimeException e) {
            throw corrupt();
        }
    }

    /** Every cached session, whatever its broker URL (unreadable entries are skipped). */
    public java.util.List<CachedSession> readAllSessions() {
        java.util.List<CachedSession> out = new java.util.ArrayList<>();
        for (JsonNode entry : readAll().values()) {
            try {
                out.add(CachedSession.fromJson(entry));
            } catch (RuntimeException e) {
                // one damaged entry does not hide the others
            }
        }
        return out;
    }

    public CacheLock lock() {
        try {
            return CacheLock.acquire(lockFile, LOCK_TIMEOUT);
        } catch (IOException e) {
            throw new MayflyException(MayflyError.of(ErrorCode.PRECONDITION,
                    "Cannot lock the credential cache " + lockFile + " (" + e.getClass().getSimpleName() + ")."), e);
        }
    }

    public void put(CacheLock held, CachedSession session) {
        Map<String, JsonNode> all = readAll();
        all.put(session.url(), Json.mapper().valueToTree(session.toJson()));
        write(held, all);
    }

    public void remove(CacheLock held, String url) {
        Map<String, JsonNode> all = readAll();
        if (all.remove(url) != null) {
            write(held, all);
        }
    }

    private Map<String, JsonNode> readAll() {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        try {
            JsonNode root = Json.mapper().readTree(Files.readAllBytes(file));
            JsonNode sessions = root == null ? null : root.get("sessions");
            if (sessions == null || !sessions.isObject()) {
                throw corrupt();
            }
            for (Map.Entry<String, JsonNode> e : sessions.properties()) {
                out.put(e.getKey(), e.getValue());
            }
            return out;
        } catch (NoSuchFileException e) {
            return out;
        } catch (IOException e) {
            throw corrupt();
        }
    }

    private void write(CacheLock held, Map<String, JsonNode> all) {
        if (held == null || !held.heldByCurrentThread()) {
            throw new IllegalStateException("the credential cache is written only under its lock");
        }
        ObjectNode root = Json.mapper().createObjectNode();
        root.put("version", 1);
        ObjectNode sessions = root.putObject("sessions");
        all.forEach(sessions::set);
        try {
            SecretFiles.writeAtomically(file, Json.writeBytes(root));
        } catch (IOException e) {
            throw new MayflyException(MayflyError.of(ErrorCode.PRECONDITION,
                    "Cannot write the credential cache " + file + " (" + e.getClass().getSimpleName() + ")."), e);
        }
    }

    private MayflyException corrupt() {
        return new MayflyException(MayflyError.builder(ErrorCode.PRECONDITION,
                        "The credential cache " + file + " is unreadable; delete it and log in again.")
                .detail("fix_command", "mayfly auth login")
                .build());
    }
}
