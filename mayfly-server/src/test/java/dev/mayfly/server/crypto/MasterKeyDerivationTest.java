package dev.mayfly.server.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** A derivation kept for one purpose gives exactly what {@link MasterKey#derive} gives, on any thread, message after message. */
class MasterKeyDerivationTest {
    private final MasterKey key = MasterKey.generate("test");

    @Test
    void sameValuesAsDeriveForEveryMessage() {
        MasterKey.Derivation chain = key.derivation("audit-chain/v1");
        for (String m : new String[] {"", "a", "record one", "record two", "a".repeat(10_000)}) {
            byte[] message = m.getBytes(StandardCharsets.UTF_8);
            assertThat(chain.mac(message)).isEqualTo(key.derive("audit-chain/v1", message));
        }
    }

    @Test
    void purposesDoNotShareKeys() {
        byte[] message = "same".getBytes(StandardCharsets.UTF_8);
        assertThat(key.derivation("audit-chain/v1").mac(message)).isNotEqualTo(key.derivation("audit-checkpoint/v1").mac(message));
    }

    @Test
    void anotherThreadGetsTheSameValue() throws Exception {
        MasterKey.Derivation chain = key.derivation("audit-chain/v1");
        byte[] message = "record".getBytes(StandardCharsets.UTF_8);
        byte[] here = chain.mac(message);
        assertThat(CompletableFuture.supplyAsync(() -> chain.mac(message)).get()).isEqualTo(here);
    }
}
