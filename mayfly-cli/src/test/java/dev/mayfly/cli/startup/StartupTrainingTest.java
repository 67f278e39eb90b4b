package dev.mayfly.cli.startup;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintStream;
import org.junit.jupiter.api.Test;

/**
 * The launcher's archive holds what the training run loads: this proves the run really goes through
 * {@code whoami}'s success path (a failed call would leave the envelope and JSON reading classes out) and
 * leaves the process's streams as it found them.
 */
class StartupTrainingTest {
    @Test
    void everyTrainingCommandEndsAsExpected() throws Exception {
        PrintStream out = System.out;
        PrintStream err = System.err;

        assertThat(StartupTraining.run()).isEqualTo(StartupTraining.expected());
        assertThat(System.out).isSameAs(out);
        assertThat(System.err).isSameAs(err);
    }
}
