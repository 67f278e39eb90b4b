package dev.mayfly.core.policy;

import java.util.Locale;

/** What an agent is; policy may cap token lifetimes per kind (batch agents get per-task tokens, not long ones). */
public enum AgentKind {
    INTERACTIVE, BATCH, LLM;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static AgentKind parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("unknown agent kind '" + s + "'; expected interactive, batch or llm");
        }
    }
}
