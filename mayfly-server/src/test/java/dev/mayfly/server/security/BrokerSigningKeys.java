package dev.mayfly.server.security;

import com.nimbusds.jose.jwk.JWK;
import dev.mayfly.server.crypto.MasterKey;
import dev.mayfly.server.home.MayflyHome;
import dev.mayfly.server.testing.BrokerExtension;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.text.ParseException;

/**
 * The broker's private signing keys, read from its database and decrypted with its master key: what an
 * attack test needs to sign tokens that are authentic except for the one flaw under test.
 */
final class BrokerSigningKeys {
    private BrokerSigningKeys() {
    }

    static JWK privateKey(BrokerExtension broker, String kid) {
        MasterKey masterKey = MasterKey.load(null, MayflyHome.open(broker.home()).masterKeyFile());
        String encrypted = broker.broker().db().read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT private_jwk_enc FROM signing_keys WHERE kid = ?")) {
                ps.setString(1, kid);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new IllegalStateException("no signing key " + kid);
                    }
                    return rs.getString(1);
                }
            }
        });
        try {
            return JWK.parse(masterKey.decrypt(encrypted, kid));
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
    }
}
