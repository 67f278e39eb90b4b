package dev.mayfly.dist;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A Dockerfile read as its instructions, each with the stage it belongs to: enough of the format (comments,
 * line continuations, one instruction per logical line) to check what it copies and runs without an engine.
 */
final class DockerfileInstructions {
    record Instruction(int stage, String keyword, String args) {
    }

    private final List<Instruction> all;

    private DockerfileInstructions(List<Instruction> all) {
        this.all = all;
    }

    static DockerfileInstructions read(Path dockerfile) throws IOException {
        List<Instruction> out = new ArrayList<>();
        int stage = -1;
        StringBuilder logical = new StringBuilder();
        for (String line : Files.readAllLines(dockerfile)) {
            String trimmed = line.strip();
            if (logical.length() == 0 && (trimmed.isEmpty() || trimmed.startsWith("#"))) {
                continue;
            }
            if (trimmed.startsWith("#")) {
                continue; // a comment inside a continued instruction
            }
            if (trimmed.endsWith("\\")) {
                logical.append(trimmed, 0, trimmed.length() - 1).append(' ');
                continue;
            }
            logical.append(trimmed);
            String text = logical.toString().strip();
            logical.setLength(0);
            int space = text.indexOf(' ');
            String keyword = (space < 0 ? text : text.substring(0, space)).toUpperCase(Locale.ROOT);
            String args = space < 0 ? "" : text.substring(space + 1).strip().replaceAll("\\s+", " ");
            if (keyword.equals("FROM")) {
                stage++;
            }
            out.add(new Instruction(stage, keyword, args));
        }
        return new DockerfileInstructions(out);
    }

    int stages() {
        return all.isEmpty() ? 0 : all.get(all.size() - 1).stage() + 1;
    }

    int lastStage() {
        return stages() - 1;
    }

    /** The arguments of each {@code keyword} instruction in {@code stage}, in order. */
    List<String> in(int stage, String keyword) {
        return all.stream().filter(i -> i.stage() == stage && i.keyword().equals(keyword))
                .map(Instruction::args).collect(Collectors.toList());
    }

    /** The single {@code keyword} instruction of {@code stage}. */
    String one(int stage, String keyword) {
        List<String> found = in(stage, keyword);
        if (found.size() != 1) {
            throw new AssertionError("expected one " + keyword + " in stage " + stage + ", found " + found);
        }
        return found.get(0);
    }

    /** The words of a JSON-array (exec form) argument: ["a", "b"] as a, b. */
    static List<String> execForm(String args) {
        String body = args.strip();
        if (!body.startsWith("[") || !body.endsWith("]")) {
            throw new AssertionError("not the exec form (a JSON array): " + args);
        }
        List<String> words = new ArrayList<>();
        for (String part : body.substring(1, body.length() - 1).split(",")) {
            String w = part.strip();
            words.add(w.substring(1, w.length() - 1));
        }
        return words;
    }
}
