package dev.mayfly.server.crypto;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** SQL for signing keys: public JWK in clear, private JWK encrypted with the master key. */
final class SigningKeyStore {
    record Row(String kid, String alg, String publicJwk, String privateJwkEncrypted, Instant createdAt,
               Instant activateAt, Instant retiredAt) {
    }

    /** Keys still published at {@code now} (not yet past their retirement), in order of activation. */
    List<Row> published(Connection c, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT kid, alg, public_jwk, private_jwk_enc, created_at, activate_at, retired_at FROM signing_keys"
                        + " WHERE retired_at IS NULL OR retired_at > ? ORDER BY activate_at, created_at, kid")) {
            ps.setLong(1, now.toEpochMilli());
            try (ResultSet rs = ps.executeQuery()) {
                List<Row> out = new ArrayList<>();
                while (rs.next()) {
                    long retired = rs.getLong(7);
                    out.add(new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            Instant.ofEpochMilli(rs.getLong(5)), Instant.ofEpochMilli(rs.getLong(6)),
                            rs.wasNull() ? null : Instant.ofEpochMilli(retired)));
                }
                return out;
            }
        }
    }

    void insert(Connection c, Row row) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO signing_keys (kid, alg, public_jwk, private_jwk_enc,"
                + " created_at, activate_at, retired_at) VALUES (?,?,?,?,?,?,?)")) {
            ps.setString(1, row.kid());
            ps.setString(2, row.alg());
            ps.setString(3, row.publicJwk());
            ps.setString(4, row.privateJwkEncrypted());
            ps.setLong(5, row.createdAt().toEpochMilli());
            ps.setLong(6, row.activateAt().toEpochMilli());
            if (row.retiredAt() == null) {
                ps.setNull(7, Types.BIGINT);
            } else {
                ps.setLong(7, row.retiredAt().toEpochMilli());
            }
            ps.executeUpdate();
        }
    }

    /** Schedules the withdrawal of every key that would otherwise stay published for good. */
    void retireAllUnretired(Connection c, Instant retireAt) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE signing_keys SET retired_at = ? WHERE retired_at IS NULL")) {
            ps.setLong(1, retireAt.toEpochMilli());
            ps.executeUpdate();
        }
    }
}
