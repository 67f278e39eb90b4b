package dev.mayfly.server.http;

import dev.mayfly.core.error.MayflyError;
import dev.mayfly.core.http.RequestIds;
import dev.mayfly.scanner.Redactor;
import dev.mayfly.scanner.SecretScanner;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Text a client sent that the broker keeps or sends back: free text (a revocation reason, where a leak was
 * found) goes through the secret scanner's redaction before it is stored or answered, so a credential pasted
 * into it is never served to the verifiers and operators who read it later; an id or a name that the scanner
 * flags is refused (or, for a request id, replaced), since masking part of an id would make a different id.
 * Error messages and details, which often quote what the client sent, are redacted on their way out by the
 * {@link Router}. Thread-safe; the scanner is built once (compiling its rules takes a while) on first use.
 */
public final class ClientText {
    private ClientText() {
    }

    /** The scanner's rules: built-in, every decoder, any issuer's Mayfly tokens count. Built on first use. */
    private static final class Holder {
        static final SecretScanner SCANNER = SecretScanner.create();
        static final Redactor REDACTOR = SCANNER.redactor();
    }

    /** {@code text} with every secret the scanner finds masked ({@code mfy_rt_********}); null stays null. */
    public static String redacted(String text) {
        return text == null || text.isEmpty() ? text : Holder.REDACTOR.redact(text);
    }

    /** {@link #redacted(String)} of at most the first {@code max} characters. */
    public static String redacted(String text, int max) {
        return redacted(text == null || text.length() <= max ? text : text.substring(0, max));
    }

    /**
     * A URL to keep as a record of where something was found: its user info (a password by another name) is
     * dropped whole, then the rest is redacted like any text, which masks a token in the query or the path.
     */
    public static String redactedUrl(String url, int max) {
        if (url == null) {
            return null;
        }
        String u = url.length() <= max ? url : url.substring(0, max);
        return redacted(withoutUserInfo(u));
    }

    /** True when the scanner finds a secret in {@code text}: an id or a name that is one is refused. */
    public static boolean holdsSecret(String text) {
        return text != null && !text.isEmpty() && !Holder.SCANNER.scan(text, "client text").findings().isEmpty();
    }

    /**
     * The request id for a request: the caller's {@code X-Request-Id} when it is a short token of safe characters
     * that is not a secret (so requests can be followed across services), else a fresh {@code req_} id. The id
     * is echoed in a header, in every envelope and stored in the audit trail, so a secret must never become one.
     */
    public static String requestId(String header) {
        String id = RequestIds.resolve(null, header);
        return id.equals(header) && holdsSecret(id) ? RequestIds.generate() : id;
    }

    /**
     * {@code error} with its message, textual details and scope fields redacted: messages often quote what the
     * client sent. The same instance when nothing changed.
     */
    public static MayflyError redacted(MayflyError error) {
        String message = redacted(error.message());
        Map<String, Object> details = new LinkedHashMap<>();
        boolean changed = !message.equals(error.message());
        for (Map.Entry<String, Object> e : error.details().entrySet()) {
            Object v = redactedValue(e.getValue());
            changed |= v != e.getValue();
            details.put(e.getKey(), v);
        }
        List<String> missing = error.missingScopes();
        List<String> missingRedacted = missing == null ? null : redactedList(missing);
        changed |= missingRedacted != missing;
        String required = redacted(error.requiredScope());
        changed |= required != null && !required.equals(error.requiredScope());
        if (!changed) {
            return error;
        }
        MayflyError.Builder b = error.withMessage(message).toBuilder();
        details.forEach(b::detail);
        if (missingRedacted != null) {
            b.missingScopes(missingRedacted);
        }
        b.requiredScope(required);
        return b.build();
    }

    /** The value itself when nothing in it changed, so callers can tell by identity. */
    private static Object redactedValue(Object value) {
        if (value instanceof String) {
            String s = (String) value;
            String r = redacted(s);
            return r.equals(s) ? value : r;
        }
        if (value instanceof List) {
            List<?> list = (List<?>) value;
            boolean allStrings = list.stream().allMatch(o -> o instanceof String);
            if (allStrings) {
                @SuppressWarnings("unchecked")
                List<String> strings = (List<String>) list;
                return redactedList(strings);
            }
        }
        return value;
    }

    private static List<String> redactedList(List<String> list) {
        List<String> out = new ArrayList<>(list.size());
        boolean changed = false;
        for (String s : list) {
            String r = redacted(s);
            changed |= r != null && !r.equals(s);
            out.add(r);
        }
        return changed ? List.copyOf(out) : list;
    }

    /** Drops everything before the last {@code @} of the authority ({@code scheme://user:pw@host/...}). */
    private static String withoutUserInfo(String url) {
        int slashes = url.indexOf("//");
        if (slashes < 0) {
            return url;
        }
        int authorityEnd = url.length();
        for (char c : new char[] {'/', '?', '#'}) {
            int i = url.indexOf(c, slashes + 2);
            if (i >= 0 && i < authorityEnd) {
                authorityEnd = i;
            }
        }
        int at = url.lastIndexOf('@', authorityEnd - 1);
        return at > slashes ? url.substring(0, slashes + 2) + url.substring(at + 1) : url;
    }
}
