package dev.mayfly.server.atrest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyException;
import dev.mayfly.server.Broker;
import dev.mayfly.server.BrokerConfig;
import dev.mayfly.server.crypto.MasterKey;
import dev.mayfly.server.crypto.MasterKeyRotation;
import dev.mayfly.server.home.MayflyHome;
import dev.mayfly.server.store.Database;
import dev.mayfly.server.testing.BrokerClient;
import dev.mayfly.server.testing.BrokerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Master-key rotation on a real broker home: every stored key and secret moves to the new key in one go,
 * the broker starts with the new key alone (old tokens still verify), a second run is a no-op, a run
 * interrupted before or after its commit is finished by running it again, and a wrong key changes
 * nothing and is refused with a PRECONDITION, at rotation as at start.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MasterKeyRotationTest {
    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    static String accessToken;
    static int encryptedRows;

    @BeforeAll
    static void someStoredSecrets() {
        BrokerClient client = broker.client();
        String admin = client.adminToken(broker.adminCredentials());
        for (int i = 0; i < 2; i++) {
            BrokerClient.Response r = client.postJson("/v1/webhooks", admin,
                    Map.of("url", "https://127.0.0.1:9/hook" + i, "events", List.of("revocation.created")));
            assertThat(r.status()).as(r.raw()).isEqualTo(201);
        }
        BrokerClient.Response rotated = client.postJson("/v1/keys/rotate", admin, Map.of("publish_ahead_s", 10));
        assertThat(rotated.status()).as(rotated.raw()).isEqualTo(200);
        broker.clock().advance(java.time.Duration.ofSeconds(10)); // the rotated key signs from now on
        broker.broker().keys().reload();
        accessToken = client.adminToken(broker.adminCredentials());
        broker.stop();
        encryptedRows = 2 + 2; // two signing keys (the first and the rotated one) and two webhook secrets
    }

    private static Path keyFile() {
        return broker.home().resolve("master.key");
    }

    private static MayflyHome home() {
        return MayflyHome.open(broker.home());
    }

    private static MasterKeyRotation.Outcome rotate(Map<String, String> env, Path newKeyFile) {
        try (Database db = Database.openSqlite(home().database())) {
            return MasterKeyRotation.rotate(home(), db, env, newKeyFile);
        }
    }

    /** How many stored values decrypt under {@code key}. */
    private static int decryptableUnder(MasterKey key) throws SQLException {
        int n = 0;
        try (Database db = Database.openSqlite(home().database()); Connection c = db.dataSource().getConnection()) {
            for (MasterKeyRotation.EncryptedColumn col : MasterKeyRotation.COLUMNS) {
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT " + col.idColumn() + ", " + col.valueColumn() + " FROM " + col.table());
                     ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        n += key.tryDecrypt(rs.getString(2), rs.getString(1)).isPresent() ? 1 : 0;
                    }
                }
            }
        }
        return n;
    }

    private static void startAndCheck() {
        broker.start();
        try {
            JsonNode who = broker.client().get("/v1/whoami", accessToken).body();
            assertThat(who.get("ok").asBoolean()).as("a token signed before the rotation still verifies: %s", who).isTrue();
        } finally {
            broker.stop();
        }
    }

    private static MayflyException refusedStart() {
        try {
            Broker.start(BrokerConfig.builder().listen("127.0.0.1:0").home(broker.home()).env(Map.of()).build()).close();
        } catch (MayflyException e) {
            return e;
        }
        throw new AssertionError("the broker started with a master key that cannot decrypt its keys");
    }

    @Test
    @Order(1)
    void everyStoredValueMovesToTheNewKeyAndTheOldOneIsGone() throws Exception {
        MasterKey old = MasterKey.read(keyFile());
        assertThat(decryptableUnder(old)).isEqualTo(encryptedRows);

        MasterKeyRotation.Outcome o = rotate(Map.of(), null);

        assertThat(o.reencrypted()).isEqualTo(encryptedRows);
        assertThat(o.alreadyCurrent()).isZero();
        MasterKey current = MasterKey.read(keyFile());
        assertThat(current.toBase64()).isNotEqualTo(old.toBase64());
        assertThat(decryptableUnder(current)).isEqualTo(encryptedRows);
        assertThat(decryptableUnder(old)).as("nothing is left under the old key").isZero();
        assertThat(MasterKey.nextKeyFile(keyFile())).doesNotExist();
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile())))
                .isEqualTo("rw-------");
        startAndCheck();
    }

    @Test
    @Order(2)
    void runningItAgainWithTheSameKeyChangesNothing() throws Exception {
        MasterKeyRotation.Outcome o = rotate(Map.of(), keyFile());
        assertThat(o.reencrypted()).isZero();
        assertThat(o.alreadyCurrent()).isEqualTo(encryptedRows);
        startAndCheck();
    }

    @Test
    @Order(3)
    void aRunInterruptedAfterItsCommitIsRefusedAtStartAndFinishedByRunningItAgain() throws Exception {
        MasterKey old = MasterKey.read(keyFile());
        MasterKey next = MasterKey.generate("test");
        Path staged = MasterKey.nextKeyFile(keyFile());
        MayflyHome.writeSecretFile(staged, next.toBase64().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        try (Database db = Database.openSqlite(home().database())) {
            MasterKeyRotation.reencrypt(db, List.of(old), next, "test"); // committed; the process "dies" here
        }
        MayflyException refused = refusedStart();
        assertThat(refused.code()).isEqualTo(ErrorCode.PRECONDITION);
        assertThat(refused.getMessage()).contains("master key").contains("rotate-master").contains("interrupted");

        MasterKeyRotation.Outcome o = rotate(Map.of(), null);
        assertThat(o.reencrypted()).isZero();
        assertThat(o.alreadyCurrent()).isEqualTo(encryptedRows);
        assertThat(MasterKey.read(keyFile()).toBase64()).isEqualTo(next.toBase64());
        assertThat(staged).doesNotExist();
        startAndCheck();
    }

    @Test
    @Order(4)
    void aRunInterruptedBeforeItsCommitLeavesTheBrokerOnTheOldKeyUntilItIsRunAgain() throws Exception {
        MasterKey old = MasterKey.read(keyFile());
        MasterKey next = MasterKey.generate("test");
        Path staged = MasterKey.nextKeyFile(keyFile());
        MayflyHome.writeSecretFile(staged, next.toBase64().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        startAndCheck(); // staged but not committed: still all under the old key

        assertThat(rotate(Map.of(), null).reencrypted()).isEqualTo(encryptedRows);
        assertThat(decryptableUnder(next)).isEqualTo(encryptedRows);
        assertThat(decryptableUnder(old)).isZero();
        startAndCheck();
    }

    @Test
    @Order(5)
    void aWrongCurrentKeyChangesNothingAndSaysSo(@TempDir Path dir) throws Exception {
        MasterKey current = MasterKey.read(keyFile());
        Path newKey = dir.resolve("new.key");
        Files.writeString(newKey, MasterKey.generate("test").toBase64());
        Map<String, String> wrongEnv = Map.of(MasterKey.ENV, MasterKey.generate("test").toBase64());

        assertThatThrownBy(() -> rotate(wrongEnv, newKey)).isInstanceOf(MayflyException.class)
                .satisfies(e -> assertThat(((MayflyException) e).code()).isEqualTo(ErrorCode.PRECONDITION))
                .hasMessageContaining("nothing was changed");
        assertThat(decryptableUnder(current)).isEqualTo(encryptedRows);

        assertThatThrownBy(() -> rotate(Map.of(MasterKey.ENV, current.toBase64()), null))
                .isInstanceOf(MayflyException.class)
                .satisfies(e -> assertThat(((MayflyException) e).code()).isEqualTo(ErrorCode.USAGE))
                .hasMessageContaining("--new-master-key-file");

        // With the key from the environment: the rows move, the key file is the operator's business.
        assertThat(rotate(Map.of(MasterKey.ENV, current.toBase64()), newKey).reencrypted()).isEqualTo(encryptedRows);
        MayflyException refused = refusedStart(); // master.key is still the old one
        assertThat(refused.code()).isEqualTo(ErrorCode.PRECONDITION);
        assertThat(refused.getMessage()).contains("master key").doesNotContain(current.toBase64());
        Files.copy(newKey, keyFile(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        startAndCheck();
    }

    @Test
    @Order(6)
    void aStagedKeyOfAnInterruptedRunIsNeverOverwrittenByAnother(@TempDir Path dir) throws Exception {
        Path staged = MasterKey.nextKeyFile(keyFile());
        MayflyHome.writeSecretFile(staged, MasterKey.generate("test").toBase64()
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        Path other = dir.resolve("other.key");
        Files.writeString(other, MasterKey.generate("test").toBase64());
        assertThatThrownBy(() -> rotate(Map.of(), other)).isInstanceOf(MayflyException.class)
                .satisfies(e -> assertThat(((MayflyException) e).code()).isEqualTo(ErrorCode.CONFLICT));
        List<String> lines = new ArrayList<>(Files.readAllLines(staged));
        assertThat(lines).hasSize(1);
        rotate(Map.of(), null);
        startAndCheck();
    }
}
