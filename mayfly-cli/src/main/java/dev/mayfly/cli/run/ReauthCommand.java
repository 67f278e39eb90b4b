package dev.mayfly.cli.run;

import dev.mayfly.cli.process.SelfInvocation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A {@code reauth_command} another program printed, checked before anything runs it. Running text that a
 * program printed is running code it chose, so only a plain command of the same tool (or of mayfly) is
 * run: no shell (it is split on spaces and executed directly), no shell syntax at all, and the first word
 * must be the wrapped program's own name or {@code mayfly} (which runs this same mayfly).
 */
public final class ReauthCommand {
    private static final String SHELL_SYNTAX = ";|&$`<>()'\"\\*?{}[]~!#\n\r";

    private final List<String> argv;
    private final String refusal;

    private ReauthCommand(List<String> argv, String refusal) {
        this.argv = argv;
        this.refusal = refusal;
    }

    /** @param wrappedProgram the first word of the command being run (a name or a path) */
    public static ReauthCommand parse(String command, String wrappedProgram) {
        if (command == null || command.isBlank()) {
            return refused("no reauth_command was given");
        }
        for (char c : command.toCharArray()) {
            if (SHELL_SYNTAX.indexOf(c) >= 0) {
                return refused("reauth_command '" + command + "' contains shell syntax; run it yourself if you trust it");
            }
        }
        List<String> words = Arrays.stream(command.trim().split("\\s+")).toList();
        String first = words.get(0);
        List<String> rest = words.subList(1, words.size());
        if (first.equals("mayfly")) {
            return new ReauthCommand(SelfInvocation.argv(rest), null);
        }
        String wrappedName = Path.of(wrappedProgram).getFileName().toString();
        if (first.equals(wrappedName) || first.equals(wrappedProgram)) {
            List<String> argv = new ArrayList<>();
            argv.add(wrappedProgram);
            argv.addAll(rest);
            return new ReauthCommand(List.copyOf(argv), null);
        }
        return refused("reauth_command '" + command + "' is not a command of " + wrappedName + " or mayfly");
    }

    private static ReauthCommand refused(String why) {
        return new ReauthCommand(null, why);
    }

    public boolean runnable() {
        return argv != null;
    }

    public List<String> argv() {
        return argv;
    }

    public String refusal() {
        return refusal;
    }
}
