package dev.mayfly.cli.blackbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mayfly.server.testing.BrokerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's two shell blocks, pasted one after the other into bash in an empty directory (standing in for the
 * checkout: a {@code ./mayfly} there runs this module's launcher) against a real broker: every command but the
 * scan that is meant to find the planted token succeeds, the agent inside {@code exec} sees its task token,
 * and nothing is left behind.
 */
class ReadmeIT {
    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    @TempDir
    Path dir;

    static final Path README = Path.of(System.getProperty("mayfly.readme", "../README.md")).toAbsolutePath();

    static List<String> bashBlocks(String markdown) {
        List<String> blocks = new ArrayList<>();
        Matcher m = Pattern.compile("```bash\n(.*?)```", Pattern.DOTALL).matcher(markdown);
        while (m.find()) {
            blocks.add(m.group(1));
        }
        return blocks;
    }

    @Test
    void theQuickstartAndTheCliBlockRunOneAfterTheOtherAndLeaveNothingBehind() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/curl")) && Files.isExecutable(Path.of("/usr/bin/jq")),
                "the quickstart needs curl and jq");
        List<String> blocks = bashBlocks(Files.readString(README));
        String quickstart = blocks.stream().filter(b -> b.contains("B=http://127.0.0.1:8470")).findFirst().orElseThrow();
        String cliBlock = blocks.stream().filter(b -> b.contains("./mayfly agent create")).findFirst().orElseThrow();

        Cli cli = new Cli(broker, dir.resolve("cli"));
        Path work = Files.createDirectories(dir.resolve("checkout"));
        Path wrapper = work.resolve("mayfly");
        Files.writeString(wrapper, "#!/bin/sh\nexec '" + Cli.LAUNCHER + "' \"$@\"\n");
        Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));

        String script = "trap 'echo \"FAILED $?: $BASH_COMMAND\" >&2' ERR\n"
                // The broker's clock is a ManualClock: the quickstart's wait for expiry would only cost time.
                + quickstart.replace("B=http://127.0.0.1:8470", "B=" + broker.issuer()).replace("sleep 36", ":")
                + cliBlock
                + "echo \"LEFT: $(ls -A | tr '\\n' ' ')\"\n";
        Path file = dir.resolve("readme.sh");
        Files.writeString(file, script);

        Cli.Invocation inv = cli.in(cli.adminHome());
        ProcessBuilder pb = new ProcessBuilder("bash", file.toString()).directory(work.toFile());
        pb.environment().clear();
        pb.environment().putAll(inv.environment());
        CliResult r = Cli.finish(pb.start(), "");

        List<String> failures = r.stderr().lines().filter(l -> l.startsWith("FAILED")).toList();
        assertThat(failures).as("stdout:%n%s%nstderr:%n%s", r.stdout(), r.stderr()).hasSize(1);
        assertThat(failures.get(0)).startsWith("FAILED 6: ./mayfly scan --revoke agent-logs/");
        assertThat(r.stdout()).contains("\"CREDENTIALS_REVOKED\"");
        assertThat(r.stdout()).contains("{\"task_id\":\"q3\",\"source\":\"exec\"}");
        assertThat(r.stdout()).doesNotContain("Not logged in");
        assertThat(r.stdout().lines().filter(l -> l.startsWith("LEFT:")).findFirst().orElseThrow().strip())
                .isEqualTo("LEFT: mayfly");
    }
}
