package dev.mayfly.server.crypto;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** SQL for signing keys: public JWK in clear, private JWK encrypted with the master key. */
final class SigningKeyStore {
    record Row(String kid, String alg, String publicJwk, String privateJwkEncrypted, Instant createdAt) {
    }

    List<Row> unretired(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT kid, alg, public_jwk, private_jwk_enc, created_at FROM signing_keys"
                        + " WHERE retired_at IS NULL ORDER BY created_at")) {
            try (ResultSet rs = ps.executeQuery()) {
                List<Row> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            Instant.ofEpochMilli(rs.getLong(5))));
                }
                return out;
            }
        }
    }

    void insert(Connection c, Row row) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO signing_keys (kid, alg, public_jwk, private_jwk_enc, created_at) VALUES (?,?,?,?,?)")) {
            ps.setString(1, row.kid());
            ps.setString(2, row.alg());
            ps.setString(3, row.publicJwk());
            ps.setString(4, row.privateJwkEncrypted());
            ps.setLong(5, row.createdAt().toEpochMilli());
            ps.executeUpdate();
        }
    }
}
