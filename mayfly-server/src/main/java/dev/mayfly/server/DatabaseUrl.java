package dev.mayfly.server;

import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/** Reads {@code --db}: a {@code jdbc:postgresql://} URL as is, or a {@code postgresql://} / {@code postgres://} URI. */
record DatabaseUrl(String jdbcUrl, String user, String password) {
    static DatabaseUrl parse(String url) {
        if (url == null || url.isBlank()) {
            throw usage("--db needs a PostgreSQL URL");
        }
        String u = url.trim();
        if (u.startsWith("jdbc:postgresql://")) {
            return new DatabaseUrl(u, null, null);
        }
        if (!(u.startsWith("postgresql://") || u.startsWith("postgres://"))) {
            throw usage("--db takes jdbc:postgresql://HOST:PORT/DB or postgresql://USER@HOST:PORT/DB");
        }
        URI uri;
        try {
            uri = URI.create(u);
        } catch (IllegalArgumentException e) {
            throw usage("--db is not a valid URI");
        }
        String user = null;
        String password = null;
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            user = URLDecoder.decode(parts[0], StandardCharsets.UTF_8);
            password = parts.length > 1 ? URLDecoder.decode(parts[1], StandardCharsets.UTF_8) : null;
        }
        String host = uri.getHost() == null ? "localhost" : uri.getHost();
        int port = uri.getPort() < 0 ? 5432 : uri.getPort();
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/postgres" : uri.getRawPath();
        String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
        return new DatabaseUrl("jdbc:postgresql://" + host + ":" + port + path + query, user, password);
    }

    private static MayflyException usage(String message) {
        return new MayflyException(ErrorCode.USAGE, message + ".");
    }

    @Override
    public String toString() {
        return "DatabaseUrl[" + jdbcUrl + ", user " + user + "]";
    }
}
