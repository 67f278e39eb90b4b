package dev.mayfly.core.http;

import dev.mayfly.core.secret.RandomIds;

/**
 * Request ids for {@code meta.request_id} and the {@code X-Request-Id} header: the one an outer handler
 * already chose, else a caller-supplied one if it is a short token of safe characters (so it can go into
 * logs and headers unescaped), else a fresh {@code req_<20 base62>}. Stateless.
 */
public final class RequestIds {
    /** Request attribute under which an outer handler may put the id, and the adapters leave it. */
    public static final String ATTRIBUTE = "dev.mayfly.requestId";
    public static final String HEADER = "X-Request-Id";
    static final int MAX_LENGTH = 64;

    private RequestIds() {
    }

    /**
     * @param attribute the value of request attribute {@value #ATTRIBUTE}, or {@code null}
     * @param header    the value of request header {@value #HEADER}, or {@code null}
     */
    public static String resolve(Object attribute, String header) {
        if (attribute instanceof String s && !s.isBlank()) {
            return s;
        }
        return isAcceptable(header) ? header : generate();
    }

    /**
     * True for 1 to 64 characters from {@code A-Z a-z 0-9 . _ - :} that do not look like a Mayfly secret or a
     * JWT: an id is echoed in a header and stored in the audit trail, so a credential sent as one (by mistake,
     * or to have the broker keep it) must not be. The broker also refuses ids its secret scanner flags.
     */
    public static boolean isAcceptable(String id) {
        if (id == null || id.isEmpty() || id.length() > MAX_LENGTH || looksLikeACredential(id)) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '-' || c == ':';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** Any {@code mfy_} prefix (a secret with a bad checksum is still a typo of a secret), or a JWT's {@code eyJ}. */
    private static boolean looksLikeACredential(String id) {
        return id.regionMatches(true, 0, "mfy_", 0, 4) || id.startsWith("eyJ");
    }

    /** A fresh {@code req_} id with about 119 random bits. */
    public static String generate() {
        return RandomIds.next("req_", 20);
    }
}
