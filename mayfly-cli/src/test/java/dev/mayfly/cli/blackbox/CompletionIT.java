package dev.mayfly.cli.blackbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.server.testing.BrokerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mayfly completion bash|zsh|fish} prints a script that real shells load and complete with, and a
 * mistyped command or option is USAGE with the closest names in {@code error.suggestions}.
 */
class CompletionIT {
    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    @TempDir
    static Path dir;

    static Cli cli;

    @BeforeAll
    static void setUp() {
        cli = new Cli(broker, dir);
    }

    private static Path script(String shell) throws Exception {
        CliResult r = cli.in(cli.newHome("completion")).run("completion", shell);
        assertThat(r.exit()).as(r.stderr()).isZero();
        Path file = dir.resolve("mayfly." + shell);
        Files.writeString(file, r.stdout());
        return file;
    }

    /** Runs a shell snippet and returns its stdout, after checking it exited 0. */
    private static String shell(String... argv) {
        try {
            Process p = new ProcessBuilder(argv).start();
            CliResult r = Cli.finish(p, "");
            assertThat(r.exit()).as("%s%nstderr: %s", List.of(argv), r.stderr()).isZero();
            return r.stdout();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** What the bash completion function offers for a command line ending in the word being typed. */
    private static List<String> bashComplete(Path script, String shell, String line) {
        String snippet = "source '" + script + "'; COMP_LINE='" + line + "'; COMP_POINT=${#COMP_LINE}; "
                + "COMP_WORDS=(" + line + (line.endsWith(" ") ? "''" : "") + "); COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 )); "
                + "_complete_mayfly; printf '%s\\n' \"${COMPREPLY[@]}\"";
        return shell(shell, "-c", snippet).lines().map(String::strip).toList();
    }

    private static boolean installed(String shell) {
        return Files.isExecutable(Path.of("/usr/bin", shell)) || Files.isExecutable(Path.of("/bin", shell));
    }

    @Test
    void bashCompletesCommandsSubcommandsAndOptions() throws Exception {
        Path script = script("bash");
        assertThat(bashComplete(script, "bash", "mayfly who")).containsExactly("whoami");
        assertThat(bashComplete(script, "bash", "mayfly agent l")).containsExactly("list");
        assertThat(bashComplete(script, "bash", "mayfly whoami --u")).containsExactly("--url");
        assertThat(bashComplete(script, "bash", "mayfly comp")).containsExactly("completion");
    }

    @Test
    void zshLoadsTheBashScriptThroughBashcompinit() throws Exception {
        Path script = script("zsh");
        assertThat(Files.readString(script)).startsWith("#compdef mayfly").contains("bashcompinit");
        assumeTrue(installed("zsh"), "zsh is not installed");
        // Loading registers the bash function with zsh's completion system; it is then called as bashcompinit's
        // _bash_complete calls it (sh emulation, 0-based arrays). zsh filters by the typed prefix itself.
        String out = shell("zsh", "-c", "autoload -U compinit && compinit -u; source '" + script + "'; "
                + "print -r -- \"registered: $_comps[mayfly]\"; t() { emulate -L sh; setopt kshglob noshglob braceexpand; "
                + "COMP_LINE='mayfly agent '; COMP_POINT=13; COMP_WORDS=(mayfly agent ''); COMP_CWORD=2; "
                + "_complete_mayfly; print -l \"${COMPREPLY[@]}\"; }; t");
        List<String> lines = out.lines().map(String::strip).toList();
        assertThat(lines.get(0)).isEqualTo("registered: _bash_complete -F _complete_mayfly -o default");
        assertThat(lines.subList(1, lines.size())).containsExactlyInAnyOrder("create", "list", "show", "update", "disable");
    }

    @Test
    void fishCompletesCommandsSubcommandsAndOptions() throws Exception {
        Path script = script("fish");
        String text = Files.readString(script);
        assertThat(text).contains("-a 'whoami'", "-l url", "-a 'list'");
        assumeTrue(installed("fish"), "fish is not installed");
        String out = shell("fish", "-c", "source '" + script + "'; complete -C 'mayfly who'; echo ---; "
                + "complete -C 'mayfly agent l'; echo ---; complete -C 'mayfly whoami --u'");
        String[] parts = out.split("---\n");
        assertThat(parts[0]).startsWith("whoami\t");
        assertThat(parts[1]).startsWith("list\t");
        assertThat(parts[2]).startsWith("--url\t");
    }

    @Test
    void withJsonTheScriptIsInTheEnvelope() {
        JsonNode data = cli.in(cli.newHome("completion-json")).run("completion", "bash", "--json").data();
        assertThat(data.get("shell").asText()).isEqualTo("bash");
        assertThat(data.get("script").asText()).contains("_complete_mayfly");
    }

    @Test
    void anUnknownShellIsUsage() {
        cli.in(cli.newHome("completion-tcsh")).run("completion", "tcsh").error("USAGE", 2);
    }

    @Test
    void aMistypedCommandSuggestsTheClosestOnes() {
        JsonNode e = cli.in(cli.newHome("typo")).run("whoamii").error("USAGE", 2);
        assertThat(e.get("suggestions")).extracting(JsonNode::asText).containsExactly("whoami");
        assertThat(e.get("message").asText()).contains("did you mean whoami?");

        JsonNode sub = cli.in(cli.newHome("typo")).run("agent", "lst").error("USAGE", 2);
        assertThat(sub.get("suggestions")).extracting(JsonNode::asText).contains("list");
    }

    @Test
    void aMistypedOptionSuggestsTheClosestOnes() {
        JsonNode e = cli.in(cli.newHome("typo")).run("whoami", "--jsn").error("USAGE", 2);
        assertThat(e.get("suggestions")).extracting(JsonNode::asText).containsExactly("--json");
    }

    @Test
    void nothingCloseMeansNoSuggestions() {
        JsonNode e = cli.in(cli.newHome("typo")).run("xyzzy").error("USAGE", 2);
        assertThat(e.has("suggestions")).isFalse();
    }
}
