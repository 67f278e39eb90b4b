package dev.mayfly.cli.token;

import dev.mayfly.client.UnverifiedJwt;
import dev.mayfly.core.text.PlainWord;
import java.util.ArrayList;
import java.util.List;

/**
 * The command that gets a replacement for a token someone handed the CLI in {@code MAYFLY_TOKEN}: the
 * CLI cannot refresh a token it did not obtain, but {@code mayfly token issue} with the same scopes,
 * audience and task mints an equivalent one from the caller's session. Stateless.
 */
public final class ReissueHint {
    private ReissueHint() {
    }

    /** {@code mayfly token issue --scope A --scope B [--audience X] [--task T]} for a token like this one. */
    public static String forToken(UnverifiedJwt claims) {
        if (claims == null) {
            return "mayfly token issue";
        }
        List<String> words = new ArrayList<>(List.of("mayfly", "token", "issue"));
        for (String s : claims.scopes()) {
            if (!PlainWord.isPlain(s)) {
                continue;
            }
            words.add("--scope");
            words.add(s);
        }
        for (String a : claims.audience()) {
            if (!a.equals(claims.issuer()) && PlainWord.isPlain(a)) {
                words.add("--audience");
                words.add(a);
            }
        }
        if (claims.taskId() != null && PlainWord.isPlain(claims.taskId())) {
            words.add("--task");
            words.add(claims.taskId());
        }
        return String.join(" ", words);
    }
}
