package dev.mayfly.cli.keys;

import dev.mayfly.cli.context.CliCommand;
import dev.mayfly.cli.context.DatabaseOptions;
import dev.mayfly.cli.output.Output;
import dev.mayfly.cli.schema.Outcomes;
import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyException;
import dev.mayfly.server.BrokerConfig;
import dev.mayfly.server.crypto.MasterKeyRotation;
import dev.mayfly.server.home.MayflyHome;
import dev.mayfly.server.store.Database;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code mayfly keys rotate-master}: re-encrypts every stored signing key and webhook secret under a new
 * master key, offline (brokers stopped), in one transaction; safe to run again after any interruption.
 * Works on the database directly, not through the API: it needs the current master key, which only the
 * broker's host has.
 */
@Command(name = "rotate-master", mixinStandardHelpOptions = true,
        description = {"Re-encrypt the stored signing keys and webhook secrets under a new master key (stop the brokers first).",
                "Current key: MAYFLY_MASTER_KEY, else master.key in the home. New key: --new-master-key-file, else a "
                        + "random one that replaces master.key. Run it again if it was interrupted."})
@Outcomes(data = "reencrypted, already_current, master_key (where the new key is; never the key)",
        errors = {ErrorCode.PRECONDITION, ErrorCode.USAGE, ErrorCode.CONFLICT, ErrorCode.UNAVAILABLE})
public final class RotateMasterKeyCommand extends CliCommand {
    @Option(names = "--home", paramLabel = "DIR", description = "The broker's home (default: $MAYFLY_HOME, else ~/.mayfly).")
    Path home;

    @Option(names = "--new-master-key-file", paramLabel = "FILE",
            description = "The new key (32 bytes, base64; e.g. 'openssl rand -base64 32'). Required when MAYFLY_MASTER_KEY is set.")
    Path newKeyFile;

    @Mixin
    DatabaseOptions databaseOptions;

    @Override
    protected int execute(Output out) {
        Map<String, String> env = context().env();
        MayflyHome mayflyHome = MayflyHome.open(MayflyHome.resolve(home, env));
        MasterKeyRotation.Outcome o;
        try (Database database = open(mayflyHome, env)) {
            o = MasterKeyRotation.rotate(mayflyHome, database, env, newKeyFile);
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("reencrypted", o.reencrypted());
        data.put("already_current", o.alreadyCurrent());
        data.put("master_key", o.newKeyLocation());
        return out.ok(data, p -> p.printf("re-encrypted %d stored key(s) and secret(s) (%d already under the new key);"
                + " the master key is now in %s%n", o.reencrypted(), o.alreadyCurrent(), o.newKeyLocation()));
    }

    private Database open(MayflyHome mayflyHome, Map<String, String> env) {
        String url = databaseOptions.url(env);
        if (url == null) {
            if (!Files.exists(mayflyHome.database())) {
                throw new MayflyException(ErrorCode.PRECONDITION, "There is no broker database at " + mayflyHome.database()
                        + "; give the broker's home with --home (or its PostgreSQL with --db).");
            }
            return Database.openSqlite(mayflyHome.database());
        }
        // The same URL forms and password sources as 'mayfly server'.
        BrokerConfig config = BrokerConfig.builder().home(mayflyHome.dir())
                .database(url, databaseOptions.user(), databaseOptions.password(env)).build();
        return Database.openPostgres(config.databaseUrl(), config.databaseUser(), config.databasePassword(), 2);
    }
}
