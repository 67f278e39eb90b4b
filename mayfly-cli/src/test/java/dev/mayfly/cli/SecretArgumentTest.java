package dev.mayfly.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mayfly.core.secret.OpaqueSecret;
import dev.mayfly.core.secret.SecretKind;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A secret pasted where an argument was expected is refused without being echoed back. */
class SecretArgumentTest {
    @Test
    void aSecretPassedAsAnArgumentIsNotEchoed() {
        String secret = OpaqueSecret.generate(SecretKind.CLIENT_SECRET).secret().reveal();
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream both = new PrintStream(captured, true, StandardCharsets.UTF_8);
        System.setOut(both);
        System.setErr(both);
        try {
            assertThat(Main.run("whoami", secret, "--json")).isEqualTo(2);
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        assertThat(captured.toString(StandardCharsets.UTF_8)).contains("USAGE").doesNotContain(secret);
    }
}
