package dev.mayfly.cli.context;

import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Where the broker's database is, for every command that opens it ({@code mayfly server},
 * {@code mayfly keys rotate-master}): one set of options, one set of environment variables, and the password
 * never on the command line.
 */
public final class DatabaseOptions {
    @Option(names = "--db", paramLabel = "URL",
            description = {"PostgreSQL instead of the embedded SQLite: jdbc:postgresql://HOST:PORT/DB or "
                    + "postgresql://USER@HOST:PORT/DB (default: $MAYFLY_DB_URL, else SQLite in the home directory).",
                    "The password comes from MAYFLY_DB_PASSWORD or --db-password-file, never from the command line."})
    String url;

    @Option(names = "--db-user", paramLabel = "USER", description = "Database user (or in the URL).")
    String user;

    @Option(names = "--db-password-file", paramLabel = "FILE", description = "File holding the database password.")
    Path passwordFile;

    /** The PostgreSQL URL from {@code --db}, else {@code MAYFLY_DB_URL}; {@code null} means the embedded SQLite. */
    public String url(Map<String, String> env) {
        String u = url != null ? url : env.get("MAYFLY_DB_URL");
        return u == null || u.isBlank() ? null : u;
    }

    public String user() {
        return user;
    }

    /** From {@code --db-password-file}, else {@code MAYFLY_DB_PASSWORD}; {@code null} when neither is given. */
    public String password(Map<String, String> env) {
        if (passwordFile == null) {
            return env.get("MAYFLY_DB_PASSWORD");
        }
        try {
            return Files.readString(passwordFile).strip();
        } catch (IOException e) {
            throw new MayflyException(ErrorCode.PRECONDITION, "Cannot read the database password file " + passwordFile + ".");
        }
    }
}
