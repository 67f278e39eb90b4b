package dev.mayfly.server.console;

import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyException;
import dev.mayfly.server.http.HttpExchange;
import dev.mayfly.server.http.Route;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Serves the console's page, scripts and styles from the jar ({@code /console/} on the class path): plain
 * files, no build step. Every answer carries a strict Content-Security-Policy (only this origin's scripts and
 * styles, no inline script, no framing), {@code nosniff} and no referrer, so the page can run nothing it did not
 * ship and leaks nothing it shows. Only names of the console's own files are served.
 */
public final class ConsoleAssets implements Route {
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    private static final Pattern NAME = Pattern.compile("[a-z0-9-]{1,40}\\.(html|js|css|svg)");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml");
    private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

    /** The headers every console answer carries (the page and the assets). */
    static Map<String, String> securityHeaders() {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Security-Policy", CSP);
        h.put("X-Content-Type-Options", "nosniff");
        h.put("X-Frame-Options", "DENY");
        h.put("Referrer-Policy", "no-referrer");
        h.put("Cross-Origin-Opener-Policy", "same-origin");
        return h;
    }

    @Override
    public void handle(HttpExchange ex) {
        String file = ex.pathParam("file");
        String name = file == null ? "index.html" : file;
        if (!NAME.matcher(name).matches()) {
            throw new MayflyException(ErrorCode.NOT_FOUND, "No such console file.");
        }
        byte[] body = cache.computeIfAbsent(name, ConsoleAssets::load);
        if (body.length == 0) {
            cache.remove(name);
            throw new MayflyException(ErrorCode.NOT_FOUND, "No such console file.");
        }
        String type = TYPES.get(name.substring(name.lastIndexOf('.') + 1));
        ex.send(200, type, body, securityHeaders());
    }

    private static byte[] load(String name) {
        try (InputStream in = ConsoleAssets.class.getResourceAsStream("/console/" + name)) {
            return in == null ? new byte[0] : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
