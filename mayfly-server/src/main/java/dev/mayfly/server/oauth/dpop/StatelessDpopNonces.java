package dev.mayfly.server.oauth.dpop;

import com.nimbusds.jose.util.Base64URL;
import dev.mayfly.server.crypto.MasterKey;
import dev.mayfly.verifier.DpopNonces;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;

/**
 * DPoP server nonces (RFC 9449 §8) that need no storage: the nonce of a time window is an HMAC of the window's
 * number under a key derived from the master key, so every broker node hands out and accepts the same nonces.
 * A nonce is accepted during its window and the next one (a client that fetched it just before the boundary is
 * not refused), so a nonce lives between one and two windows. Thread-safe.
 */
public final class StatelessDpopNonces implements DpopNonces {
    private static final String PURPOSE = "dpop-nonce/v1";
    /** 16 bytes of HMAC: unguessable, and short in a header. */
    private static final int NONCE_BYTES = 16;

    /** Derived once: every nonce check computes two HMACs, on the request path of every DPoP grant. */
    private final MasterKey.Derivation derivation;
    private final Clock clock;
    private final long windowSeconds;

    public StatelessDpopNonces(MasterKey masterKey, Clock clock, Duration window) {
        this.derivation = masterKey.derivation(PURPOSE);
        this.clock = clock;
        this.windowSeconds = Math.max(1, window.getSeconds());
    }

    @Override
    public String current() {
        return nonceOf(window());
    }

    @Override
    public boolean accepts(String nonce) {
        byte[] presented = nonce.getBytes(StandardCharsets.US_ASCII);
        long w = window();
        // Both compared in constant time, so the comparison says nothing about either.
        boolean current = MessageDigest.isEqual(presented, nonceOf(w).getBytes(StandardCharsets.US_ASCII));
        boolean previous = MessageDigest.isEqual(presented, nonceOf(w - 1).getBytes(StandardCharsets.US_ASCII));
        return current | previous;
    }

    private long window() {
        return Math.floorDiv(clock.instant().getEpochSecond(), windowSeconds);
    }

    private String nonceOf(long window) {
        byte[] mac = derivation.mac(ByteBuffer.allocate(16).putLong(windowSeconds).putLong(window).array());
        return Base64URL.encode(Arrays.copyOf(mac, NONCE_BYTES)).toString();
    }
}
