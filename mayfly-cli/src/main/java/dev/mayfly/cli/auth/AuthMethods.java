package dev.mayfly.cli.auth;

import java.util.LinkedHashMap;
import java.util.Map;

/** Entries of an error's {@code auth_methods}: ordered maps, so the keys never change order between calls. */
final class AuthMethods {
    private AuthMethods() {
    }

    static Map<String, Object> of(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }
}
