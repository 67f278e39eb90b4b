package dev.mayfly.cli.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyException;
import dev.mayfly.policy.PolicyLint;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reading a policy file and printing policies and lint findings, shared by {@code policy} and {@code doctor}. */
public final class PolicyText {
    private PolicyText() {
    }

    /** The file's text; a missing or unreadable file is {@code PRECONDITION}. */
    public static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new MayflyException(ErrorCode.PRECONDITION, "No policy file at " + file + ".");
        } catch (IOException e) {
            throw new MayflyException(ErrorCode.PRECONDITION, "Cannot read policy file " + file + ".");
        }
    }

    /** A policy in its document shape (see PolicyDocument), as the TOML a policy file would hold. */
    public static String toml(Object document) {
        try {
            return new TomlMapper().writeValueAsString(document);
        } catch (JsonProcessingException e) {
            throw new MayflyException(ErrorCode.INTERNAL, "The policy cannot be written as TOML.");
        }
    }

    /** Findings as data: {@code rule, severity, message}. */
    public static List<Map<String, Object>> view(List<PolicyLint.Finding> findings) {
        return findings.stream().map(f -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("rule", f.rule());
            m.put("severity", f.severity().wireName());
            m.put("message", f.message());
            return m;
        }).toList();
    }

    public static void print(PrintStream p, List<PolicyLint.Finding> findings) {
        for (PolicyLint.Finding f : findings) {
            p.printf("  %-7s %-20s %s%n", f.severity().wireName(), f.rule(), f.message());
        }
    }
}
