package dev.mayfly.cli.doctor;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What doctor needs to know about the deployment beyond the broker: where its logs are (so the scanner's
 * coverage can be checked), how far back to look for shared client secrets, how long to wait for the
 * canary. Log paths come from {@code doctor.toml} ({@code log_paths = ["/var/log/agents", ...]}; by default
 * {@code $MAYFLY_HOME/doctor.toml}, when it exists) and from {@code --log-path}. Immutable.
 */
record DoctorSettings(List<Path> logPaths, Path configFile, Duration window, Duration canaryTimeout, boolean canary) {
    static final String FILE = "doctor.toml";
    private static final Set<String> KEYS = Set.of("log_paths");

    /**
     * @param explicitConfig {@code --config}, which must exist; {@code null} for {@code $MAYFLY_HOME/doctor.toml} if present
     */
    static DoctorSettings load(Path home, Path explicitConfig, List<Path> extraLogPaths, Duration window,
                               Duration canaryTimeout, boolean canary) {
        Path config = explicitConfig != null ? explicitConfig : home.resolve(FILE);
        Set<Path> paths = new LinkedHashSet<>();
        boolean read = false;
        try {
            String text = Files.readString(config);
            read = true;
            paths.addAll(logPathsIn(text, config));
        } catch (NoSuchFileException e) {
            if (explicitConfig != null) {
                throw new MayflyException(ErrorCode.PRECONDITION, "No doctor config at " + config + ".");
            }
        } catch (IOException e) {
            throw new MayflyException(ErrorCode.PRECONDITION, "Cannot read doctor config " + config + ".");
        }
        paths.addAll(extraLogPaths);
        return new DoctorSettings(List.copyOf(paths), read ? config : null, window, canaryTimeout, canary);
    }

    private static List<Path> logPathsIn(String toml, Path config) {
        JsonNode root;
        try {
            root = new TomlMapper().readTree(toml);
        } catch (JacksonException e) {
            throw new MayflyException(ErrorCode.PRECONDITION, config + " is not valid TOML: " + e.getOriginalMessage());
        }
        List<Path> out = new ArrayList<>();
        if (root == null) {
            return out;
        }
        root.fieldNames().forEachRemaining(k -> {
            if (!KEYS.contains(k)) {
                throw new MayflyException(ErrorCode.PRECONDITION, config + ": unknown key '" + k + "' (known: log_paths).");
            }
        });
        JsonNode list = root.path("log_paths");
        if (!list.isMissingNode() && !list.isArray()) {
            throw new MayflyException(ErrorCode.PRECONDITION, config + ": log_paths must be an array of paths.");
        }
        for (JsonNode p : list) {
            if (!p.isTextual() || p.asText().isBlank()) {
                throw new MayflyException(ErrorCode.PRECONDITION, config + ": log_paths must be an array of paths.");
            }
            Path path = Path.of(p.asText());
            // Relative paths are read from the config file's directory, so the file means the same from anywhere.
            out.add(path.isAbsolute() ? path : config.toAbsolutePath().getParent().resolve(path).normalize());
        }
        return out;
    }
}
