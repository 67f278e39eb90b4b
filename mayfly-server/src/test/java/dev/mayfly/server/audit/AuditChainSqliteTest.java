package dev.mayfly.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.server.testing.BrokerClient;
import dev.mayfly.server.testing.BrokerExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One broker on SQLite: its chain is keyed, so a record edited with its chain recomputed (plain SHA-256, all a
 * database writer without the master key can do) fails verification; a deleted tail is caught by the signed
 * checkpoints, by the copy in the checkpoint directory once the checkpoint rows are deleted too.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuditChainSqliteTest {
    static final Path CHECKPOINTS = tempDir();

    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension(b -> b.auditChain(
            new AuditChainConfig(null, CHECKPOINTS, Duration.ofHours(1), 1_000_000)));

    static BrokerClient client;
    static String node;
    static String adminToken;

    @BeforeAll
    static void someRecords() throws IOException {
        client = broker.client();
        JsonNode agent = client.createAgent(admin(), "chained", "llm", List.of("docs:read"), List.of());
        for (int i = 0; i < 5; i++) {
            assertThat(client.login(agent.get("client_id").asText(), agent.get("client_secret").asText()).status())
                    .isEqualTo(200);
        }
        node = Files.readString(broker.home().resolve(AuditNodeId.FILE)).trim();
    }

    static Path tempDir() {
        try {
            return Files.createTempDirectory("mayfly-audit-checkpoints");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One admin token for the whole class: each login is itself an audit record, which would move the heads. */
    static String admin() {
        if (adminToken == null) {
            adminToken = client.adminToken(broker.adminCredentials());
        }
        return adminToken;
    }

    static JsonNode verify() {
        BrokerClient.Response r = client.get("/v1/audit/verify", admin());
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        return r.body().get("data");
    }

    static JsonNode nodeChain(JsonNode v, String id) {
        for (JsonNode n : v.get("nodes")) {
            if (n.get("node").asText().equals(id)) {
                return n;
            }
        }
        throw new AssertionError("no chain for node " + id + " in " + v);
    }

    static Connection database() throws Exception {
        return DriverManager.getConnection("jdbc:sqlite:" + broker.home().resolve("mayfly.db"));
    }

    @Test
    @Order(1)
    void theNodesChainIsKeyedAndVerifies() {
        JsonNode v = verify();
        assertThat(v.get("valid").asBoolean()).as(v.toString()).isTrue();
        JsonNode chain = nodeChain(v, node);
        assertThat(chain.get("keyed").asBoolean()).isTrue();
        assertThat(chain.get("records").asLong()).isEqualTo(v.get("checked").asLong()).isGreaterThanOrEqualTo(7);
        assertThat(node).startsWith("node-");
    }

    @Test
    @Order(2)
    void anEditedRecordWithItsChainRecomputedFailsVerification() throws Exception {
        try (Connection c = database()) {
            ChainTampering.exec(c, "CREATE TEMP TABLE saved AS SELECT * FROM audit_events");
            ChainTampering.exec(c, "CREATE TEMP TABLE saved_head AS SELECT * FROM audit_nodes");
            ChainTampering.editAndRecompute(c, node, 3, "{\"reason\":\"forged\"}");
            JsonNode v = verify();
            assertThat(v.get("valid").asBoolean()).isFalse();
            JsonNode chain = nodeChain(v, node);
            assertThat(chain.get("valid").asBoolean()).isFalse();
            assertThat(chain.get("first_bad_node_seq").asLong()).isEqualTo(3);
            assertThat(chain.get("problem").asText()).contains("record 3 was modified");
            assertThat(v.get("problem").asText()).startsWith("node " + node + ": ");

            ChainTampering.exec(c, "DELETE FROM audit_events");
            ChainTampering.exec(c, "INSERT INTO audit_events SELECT * FROM saved");
            ChainTampering.exec(c, "DELETE FROM audit_nodes");
            ChainTampering.exec(c, "INSERT INTO audit_nodes SELECT * FROM saved_head");
        }
        assertThat(verify().get("valid").asBoolean()).isTrue();
    }

    @Test
    @Order(3)
    void aDeletedTailIsCaughtByTheCheckpointsAndByTheirCopyOutsideTheDatabase() throws Exception {
        AuditCheckpoint cp = broker.broker().auditCheckpoints().write();
        long head = cp.heads().get(node).seq();
        assertThat(Files.exists(CHECKPOINTS.resolve(AuditCheckpoints.FILE_PREFIX + node + ".json"))).isTrue();
        JsonNode before = verify();
        assertThat(before.get("valid").asBoolean()).as(before.toString()).isTrue();
        assertThat(nodeChain(before, node).get("checkpoint_seq").asLong()).isEqualTo(head);

        try (Connection c = database()) {
            // the tail goes, and the head row is made to agree: nothing inside the chain itself is wrong now
            ChainTampering.truncate(c, node, 2);
            JsonNode v = verify();
            assertThat(v.get("valid").asBoolean()).isFalse();
            JsonNode chain = nodeChain(v, node);
            assertThat(chain.get("records").asLong()).isLessThan(head);
            assertThat(chain.get("problem").asText()).contains("truncated").contains("names record " + head);

            // the checkpoint rows go too: the copy in the checkpoint directory still says how long the chain was
            ChainTampering.exec(c, "DELETE FROM audit_checkpoints");
            v = verify();
            assertThat(v.get("valid").asBoolean()).isFalse();
            assertThat(nodeChain(v, node).get("problem").asText()).contains("checkpoint file").contains("truncated");

            // a forged checkpoint file (a shorter head, without the key) is no way out
            Path file = CHECKPOINTS.resolve(AuditCheckpoints.FILE_PREFIX + node + ".json");
            Files.writeString(file, Files.readString(file).replace("\"seq\":" + head, "\"seq\":" + (head - 2)));
            v = verify();
            assertThat(v.get("valid").asBoolean()).isFalse();
            assertThat(v.at("/checkpoints/invalid").asLong()).isEqualTo(1);
            assertThat(v.get("problem").asText()).contains("fails its MAC");
        }
    }

    @Test
    @Order(4)
    void aCleanShutdownWritesACheckpointOfTheFinalHeads() throws Exception {
        long head;
        try (Connection c = database()) {
            ChainTampering.exec(c, "DELETE FROM audit_checkpoints");
            head = ChainTampering.chain(c, node).size();
        }
        broker.stop();
        try (Connection c = database(); java.sql.Statement s = c.createStatement();
             java.sql.ResultSet rs = s.executeQuery("SELECT node_id, heads FROM audit_checkpoints")) {
            assertThat(rs.next()).as("a checkpoint written at shutdown").isTrue();
            assertThat(rs.getString(1)).isEqualTo(node);
            assertThat(dev.mayfly.core.json.Json.mapper().readTree(rs.getString(2)).at("/" + node + "/seq").asLong())
                    .isEqualTo(head);
        } finally {
            broker.start();
        }
    }
}
