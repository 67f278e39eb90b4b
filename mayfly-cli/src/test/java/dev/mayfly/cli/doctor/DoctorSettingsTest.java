package dev.mayfly.cli.doctor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DoctorSettingsTest {
    @TempDir
    Path home;

    private DoctorSettings load(Path config, List<Path> extra) {
        return DoctorSettings.load(home, config, extra, Duration.ofHours(1), Duration.ofSeconds(10), true);
    }

    @Test
    void theHomesDoctorTomlIsReadWhenPresentWithRelativePathsFromItsDirectory() throws IOException {
        Files.writeString(home.resolve("doctor.toml"), "log_paths = [\"logs\", \"/var/log/agents\"]\n");
        DoctorSettings s = load(null, List.of(Path.of("/srv/app.log")));
        assertThat(s.logPaths()).containsExactly(home.resolve("logs").toAbsolutePath(), Path.of("/var/log/agents"),
                Path.of("/srv/app.log"));
        assertThat(s.configFile()).isEqualTo(home.resolve("doctor.toml"));
    }

    @Test
    void withoutAConfigOnlyTheGivenPathsCount() {
        DoctorSettings s = load(null, List.of());
        assertThat(s.logPaths()).isEmpty();
        assertThat(s.configFile()).isNull();
    }

    @Test
    void anExplicitConfigMustExistAndUnknownKeysOrBadValuesAreRefused() throws IOException {
        MayflyException missing = catchThrowableOfType(() -> load(home.resolve("nope.toml"), List.of()), MayflyException.class);
        assertThat(missing.code()).isEqualTo(ErrorCode.PRECONDITION);

        Path typo = Files.writeString(home.resolve("typo.toml"), "log_path = [\"/var/log\"]\n");
        assertThat(catchThrowableOfType(() -> load(typo, List.of()), MayflyException.class).getMessage())
                .contains("unknown key 'log_path'");

        Path notList = Files.writeString(home.resolve("scalar.toml"), "log_paths = \"/var/log\"\n");
        assertThat(catchThrowableOfType(() -> load(notList, List.of()), MayflyException.class).getMessage())
                .contains("log_paths must be an array of paths");
    }
}
