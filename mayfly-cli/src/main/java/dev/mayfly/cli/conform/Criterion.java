package dev.mayfly.cli.conform;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One check of the rubric: the score level it belongs to, whether it held ({@code null} when it could not be
 * checked, e.g. no denial run was asked for), and what was seen.
 */
record Criterion(String id, int level, String description, Boolean held, String detail) {
    boolean passedOrUnchecked() {
        return held == null || held;
    }

    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("level", level);
        m.put("description", description);
        m.put("held", held);
        m.put("detail", detail);
        return m;
    }
}
