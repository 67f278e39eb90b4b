package dev.mayfly.server.atrest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.JWK;
import dev.mayfly.core.secret.OpaqueSecret;
import dev.mayfly.scanner.Finding;
import dev.mayfly.scanner.SecretScanner;
import dev.mayfly.server.crypto.MasterKey;
import dev.mayfly.server.crypto.MasterKeyRotation;
import dev.mayfly.server.testing.BrokerClient;
import dev.mayfly.server.testing.BrokerExtension;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Secrets at rest, against everything the database holds (the raw SQLite files, or every row of every
 * PostgreSQL table): after issuing every kind of secret, none of them (nor an access token) is found, only
 * their SHA-256 hashes (the positive control: the scan does see the stored data); the signing keys' and
 * webhooks' secrets are there only AES-GCM encrypted under the master key: no private JWK member, no PKCS#8
 * key, no private key bytes, not the master key. Subclasses say how to read the store.
 */
abstract class AtRestContract {
    /** Ed25519 PKCS#8 DER prefix (RFC 8410): SEQUENCE, version 0, AlgorithmIdentifier id-Ed25519. */
    private static final String PKCS8_ED25519 = "302e020100300506032b657004220420";

    abstract BrokerExtension broker();

    /** Everything stored, as bytes read as ISO-8859-1 (one char per byte): files or table rows. */
    abstract String stored() throws Exception;

    abstract Connection connect() throws Exception;

    @Test
    void issuedSecretsAreStoredOnlyAsHashesAndPrivateKeysOnlyEncrypted() throws Exception {
        BrokerClient client = broker().client();
        JsonNode adminCreds = broker().adminCredentials();
        String admin = client.adminToken(adminCreds);
        JsonNode agent = client.createAgent(admin, "at-rest-agent", "interactive", List.of("r:read"), List.of());
        BrokerClient.Response login = client.login(agent.get("client_id").asText(), agent.get("client_secret").asText());
        String firstRefresh = login.body().get("refresh_token").asText();
        BrokerClient.Response refreshed = client.refresh(firstRefresh);
        assertThat(refreshed.status()).as(refreshed.raw()).isEqualTo(200);
        // A retry within the reuse grace returns the same successor: derived, so still stored only as a hash.
        BrokerClient.Response replayed = client.refresh(firstRefresh);
        assertThat(replayed.body().get("refresh_token").asText()).as(replayed.raw())
                .isEqualTo(refreshed.body().get("refresh_token").asText());
        BrokerClient.Response webhook = client.postJson("/v1/webhooks", admin,
                Map.of("url", "https://127.0.0.1:9/hook", "events", List.of("revocation.created")));
        assertThat(webhook.status()).as(webhook.raw()).isEqualTo(201);

        List<String> secrets = List.of(adminCreds.get("client_secret").asText(), agent.get("client_secret").asText(),
                firstRefresh, refreshed.body().get("refresh_token").asText(),
                webhook.body().at("/data/secret").asText());
        List<String> accessTokens = List.of(admin, login.body().get("access_token").asText(),
                refreshed.body().get("access_token").asText());

        String stored = stored();
        for (String secret : secrets) {
            OpaqueSecret parsed = OpaqueSecret.parse(secret).orElseThrow();
            String random = secret.substring(secret.lastIndexOf('_') + 1);
            assertThat(stored).as("a stored copy of an issued %s", parsed.kind()).doesNotContain(secret)
                    .doesNotContain(random);
        }
        for (String secret : secrets.subList(0, 4)) {
            // Positive control: what is stored instead is the hash, and the scan sees it.
            assertThat(stored).contains(OpaqueSecret.parse(secret).orElseThrow().hash());
        }
        for (String jwt : accessTokens) {
            assertThat(stored).as("a stored access token").doesNotContain(jwt).doesNotContain(jwt.substring(jwt.lastIndexOf('.') + 1));
        }
        List<Finding> found = SecretScanner.create().scan(stored, "database").findings().stream()
                .filter(Finding::isMayfly).toList();
        assertThat(found).as("Mayfly secrets the scanner finds in the database").isEmpty();

        // Private keys: only encrypted. Decrypt each with the master key to learn what must not be there.
        MasterKey master = MasterKey.read(broker().home().resolve("master.key"));
        assertThat(stored).doesNotContain(master.toBase64());
        assertThat(stored).as("a private JWK member").doesNotContain("\"d\":").doesNotContain("\"p\":");
        assertThat(stored).as("a PEM private key").doesNotContain("PRIVATE KEY");
        assertThat(stored).as("a PKCS#8 Ed25519 key").doesNotContain(latin1(HexFormat.of().parseHex(PKCS8_ED25519)))
                .doesNotContainIgnoringCase(PKCS8_ED25519);
        for (String[] row : encryptedValues()) {
            String plain = master.decrypt(row[1], row[0]);
            if (row[2].equals("signing_keys")) {
                String d = JWK.parse(plain).toJSONObject().get("d").toString();
                assertThat(stored).as("the private key of %s", row[0]).doesNotContain(d)
                        .doesNotContain(latin1(Base64.getUrlDecoder().decode(d)));
            } else {
                assertThat(plain).isEqualTo(webhook.body().at("/data/secret").asText());
            }
        }
    }

    /** Every (id, ciphertext, table) of the columns the master key protects. */
    private List<String[]> encryptedValues() throws Exception {
        List<String[]> out = new ArrayList<>();
        try (Connection c = connect()) {
            for (MasterKeyRotation.EncryptedColumn col : MasterKeyRotation.COLUMNS) {
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT " + col.idColumn() + ", " + col.valueColumn() + " FROM " + col.table());
                     ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new String[] {rs.getString(1), rs.getString(2), col.table()});
                    }
                }
            }
        }
        assertThat(out).extracting(r -> r[2]).contains("signing_keys", "webhooks");
        return out;
    }

    static String latin1(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
