package dev.mayfly.cli;

import dev.mayfly.cli.completion.FishCompletion;
import dev.mayfly.cli.context.CliContext;
import dev.mayfly.cli.output.Output;
import dev.mayfly.cli.schema.Outcomes;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code mayfly completion bash|zsh|fish}: a completion script for the whole command tree. The script is the
 * output, so it is printed as it is even when stdout is not a terminal ({@code mayfly completion bash > f},
 * {@code source <(mayfly completion bash)}); {@code --json} wraps it in the envelope.
 */
@Outcomes(data = "shell, script (only with --json: otherwise the script itself is printed)")
@Command(name = "completion", mixinStandardHelpOptions = true,
        description = {"Print a shell completion script for mayfly.",
                "bash: source <(mayfly completion bash), or save it in /etc/bash_completion.d/. "
                        + "zsh: source <(mayfly completion zsh) in ~/.zshrc (the bash script, through bashcompinit). "
                        + "fish: mayfly completion fish > ~/.config/fish/completions/mayfly.fish."})
final class CompletionCommand implements Callable<Integer> {
    enum Shell { bash, zsh, fish }

    @Parameters(index = "0", paramLabel = "SHELL", description = "bash, zsh or fish.")
    Shell shell;

    @Option(names = "--json", description = "Print the script inside the JSON envelope.")
    boolean json;

    @Override
    public Integer call() {
        // The whole tree, whatever this invocation built: every command must complete, not only this one.
        CommandLine tree = MayflyCommand.commandLine(CliContext.fromProcess(), new String[0]);
        String script = script(shell, tree);
        if (!json) {
            System.out.print(script);
            System.out.flush();
            return 0;
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("shell", shell.name());
        data.put("script", script);
        return new Output(true, System.out, System.err).ok(data, out -> out.print(script));
    }

    static String script(Shell shell, CommandLine tree) {
        switch (shell) {
            case fish:
                return FishCompletion.script(tree);
            case zsh:
                // picocli's bash script loads bashcompinit itself when it runs in zsh.
                return "#compdef mayfly\n# zsh completion for mayfly (the bash script, through bashcompinit)\n"
                        + AutoComplete.bash("mayfly", tree);
            default:
                return AutoComplete.bash("mayfly", tree);
        }
    }
}
