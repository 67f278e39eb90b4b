package dev.mayfly.cli.doctor;

import dev.mayfly.scanner.Finding;
import dev.mayfly.scanner.ScanResult;
import dev.mayfly.scanner.SecretScanner;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The scanner covers the deployment's logs: every configured log path ({@code doctor.toml}'s
 * {@code log_paths}, {@code --log-path}) exists and its files can be read, and the scanner actually runs
 * over them (up to {@link #SCAN_LIMIT} bytes in all). No paths configured: warn (coverage unknown). A path
 * missing or unreadable, or a Mayfly secret found in it: fail. Other secrets found: warn.
 */
final class ScannerPathsCheck implements Check {
    static final String ID = "scanner-paths";
    /** Beyond this many bytes in all, paths are checked for readability but not scanned (that is 'mayfly scan's job). */
    static final long SCAN_LIMIT = 64L * 1024 * 1024;
    private static final int MAX_FILES = 100_000;

    @Override
    public String id() {
        return ID;
    }

    @Override
    public boolean needsBroker() {
        return false;
    }

    @Override
    public CheckResult run(Deployment d) {
        List<Path> paths = d.logPaths();
        Evidence e = Evidence.of().with("config", d.settings().configFile() == null ? null : d.settings().configFile().toString());
        if (paths.isEmpty()) {
            return CheckResult.warn(ID, "No log paths configured (log_paths in $MAYFLY_HOME/doctor.toml or --log-path): "
                    + "scanner coverage of the deployment's logs is unknown.", e);
        }
        List<Map<String, Object>> views = new ArrayList<>();
        List<String> broken = new ArrayList<>();
        long total = 0;
        for (Path p : paths) {
            Map<String, Object> v = inspect(p);
            views.add(v);
            if (!Boolean.TRUE.equals(v.get("readable"))) {
                broken.add(p.toString());
            }
            total += ((Number) v.getOrDefault("bytes", 0L)).longValue();
        }
        e.with("paths", views).with("bytes", total);
        if (!broken.isEmpty()) {
            return CheckResult.fail(ID, "Log path(s) missing or unreadable, so no scanner covers them: "
                    + String.join(", ", broken) + ".", e);
        }
        if (total > SCAN_LIMIT) {
            e.with("scanned", false);
            return CheckResult.pass(ID, paths.size() + " log path(s) readable (" + total + " bytes; too many to scan here: "
                    + "run 'mayfly scan' on them).", e);
        }
        SecretScanner scanner = SecretScanner.create();
        int findings = 0;
        int mayfly = 0;
        TreeSet<String> rules = new TreeSet<>();
        for (int i = 0; i < paths.size(); i++) {
            try {
                ScanResult r = scanner.scan(paths.get(i));
                views.get(i).put("findings", r.findings().size());
                findings += r.findings().size();
                mayfly += r.mayflyFindings().size();
                r.findings().stream().map(Finding::ruleId).forEach(rules::add);
            } catch (IOException ex) {
                views.get(i).put("readable", false);
                return CheckResult.fail(ID, "The scanner could not read " + paths.get(i) + ".", e);
            }
        }
        e.with("scanned", true).with("findings", findings).with("mayfly_findings", mayfly).with("rules", List.copyOf(rules));
        if (mayfly > 0) {
            return CheckResult.fail(ID, mayfly + " Mayfly credential(s) found in the logs: revoke them (report them to "
                    + "POST /v1/leaks) and mask logs with the scanner's redactor.", e);
        }
        if (findings > 0) {
            return CheckResult.warn(ID, findings + " possible secret(s) found in the logs (rules " + rules + ").", e);
        }
        return CheckResult.pass(ID, paths.size() + " log path(s) readable and scanned clean (" + total + " bytes).", e);
    }

    /** Exists, is readable, and how much it holds; every file of a directory is opened. */
    private static Map<String, Object> inspect(Path p) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("path", p.toString());
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS) && !Files.exists(p)) {
            v.put("exists", false);
            v.put("readable", false);
            return v;
        }
        v.put("exists", true);
        List<Path> files = new ArrayList<>();
        if (Files.isDirectory(p)) {
            v.put("kind", "directory");
            try (Stream<Path> walk = Files.walk(p)) {
                walk.filter(Files::isRegularFile).filter(f -> !f.toString().contains("/.git/")).limit(MAX_FILES).forEach(files::add);
            } catch (IOException | java.io.UncheckedIOException ex) {
                v.put("readable", false);
                return v;
            }
        } else {
            v.put("kind", "file");
            files.add(p);
        }
        long bytes = 0;
        List<String> unreadable = new ArrayList<>();
        for (Path f : files) {
            try (InputStream in = Files.newInputStream(f)) {
                in.read();
                bytes += Files.size(f);
            } catch (IOException ex) {
                unreadable.add(f.toString());
            }
        }
        v.put("files", files.size());
        v.put("bytes", bytes);
        if (!unreadable.isEmpty()) {
            v.put("unreadable_files", unreadable.size() > 10 ? unreadable.subList(0, 10) : unreadable);
        }
        v.put("readable", unreadable.isEmpty());
        return v;
    }
}
