package dev.mayfly.cli.scan;

import dev.mayfly.core.error.MayflyError;
import dev.mayfly.core.error.MayflyException;
import dev.mayfly.scanner.Decoding;
import dev.mayfly.scanner.SecretScanner;
import dev.mayfly.scanner.rules.BuiltinRules;
import dev.mayfly.scanner.rules.GitleaksRules;
import dev.mayfly.scanner.rules.RuleSet;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * {@code --rules} and {@code --no-decode}: how {@code scan} and {@code redact} build their scanner, so both
 * find (and mask) exactly the same secrets.
 */
public final class ScannerOptions {
    @Option(names = "--rules", paramLabel = "FILE",
            description = "A gitleaks v8 TOML rules file, added to the built-in rules (a rule with a built-in id replaces it). "
                    + "Repeatable. Anything that cannot be honoured exactly is a USAGE error (exit 2); a missing file NOT_FOUND (5).")
    List<Path> rules = List.of();

    @Option(names = "--no-decode",
            description = "Look only at the text as it is: no JSON-string, base64, percent or streamed-LLM decoding.")
    boolean noDecode;

    /** Loads the rules (the input errors come from here) and builds the scanner. */
    SecretScanner scanner() {
        return scanner(false);
    }

    /** The same, listing the matches rules refused with their reasons when {@code explain} ({@code scan --explain}). */
    SecretScanner scanner(boolean explain) {
        RuleSet set = BuiltinRules.all();
        for (Path file : rules) {
            try {
                set = set.plus(GitleaksRules.load(file));
            } catch (MayflyException e) {
                throw masked(e);
            }
        }
        return SecretScanner.builder()
                .rules(set)
                .decodings(noDecode ? EnumSet.noneOf(Decoding.class) : EnumSet.allOf(Decoding.class))
                .explain(explain)
                .build();
    }

    /** The same error with any secret in its message masked (a secret pasted where the rules file goes). */
    private static MayflyException masked(MayflyException e) {
        String message = SecretScanner.create().redactor().redact(e.error().message());
        MayflyError.Builder b = MayflyError.builder(e.code(), message);
        e.error().details().forEach(b::detail);
        return new MayflyException(b.build(), e);
    }
}
