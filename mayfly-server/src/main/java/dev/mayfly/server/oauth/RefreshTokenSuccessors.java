package dev.mayfly.server.oauth;

import dev.mayfly.core.secret.OpaqueSecret;
import dev.mayfly.core.secret.SecretKind;
import dev.mayfly.server.crypto.MasterKey;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;

/**
 * A refresh token's successor, derived from the token itself under the master key: HMAC-SHA256 over
 * (session, generation, presented token) with a purpose key of its own, read as base62 by rejection
 * sampling. Rotating a token and replaying it within the reuse grace therefore give the same successor on
 * every node, and the successor's secret is never stored, in clear or otherwise (only its SHA-256, like every
 * refresh token). Knowing a successor needs both the presented token and the master key. Thread-safe.
 */
final class RefreshTokenSuccessors {
    private static final String PURPOSE = "refresh-token-successor/v1";
    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    /** Derived once, not per refresh. */
    private final MasterKey.Derivation derivation;

    RefreshTokenSuccessors(MasterKey masterKey) {
        this.derivation = masterKey.derivation(PURPOSE);
    }

    /** The successor of {@code presented}, of generation {@code generation}, in session {@code sessionId}. */
    OpaqueSecret successorOf(OpaqueSecret presented, String sessionId, int generation) {
        StringBuilder random = new StringBuilder(OpaqueSecret.RANDOM_LENGTH);
        for (int block = 0; random.length() < OpaqueSecret.RANDOM_LENGTH; block++) {
            byte[] bytes = derivation.mac(message(presented, sessionId, generation, block));
            for (byte b : bytes) {
                int v = b & 0xff;
                // 248 = 4 × 62: values above it would make the first characters likelier (modulo bias)
                if (v < 248 && random.length() < OpaqueSecret.RANDOM_LENGTH) {
                    random.append(BASE62.charAt(v % 62));
                }
            }
        }
        return OpaqueSecret.fromRandom(SecretKind.REFRESH_TOKEN, random.toString());
    }

    private static byte[] message(OpaqueSecret presented, String sessionId, int generation, int block) {
        byte[] session = sessionId.getBytes(StandardCharsets.UTF_8);
        byte[] token = presented.secret().reveal().getBytes(StandardCharsets.US_ASCII);
        return ByteBuffer.allocate(4 + session.length + 4 + 4 + token.length)
                .putInt(session.length).put(session).putInt(generation).putInt(block).put(token).array();
    }
}
