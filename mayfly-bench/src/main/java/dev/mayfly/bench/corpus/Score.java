package dev.mayfly.bench.corpus;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a scan of a corpus got right and wrong: recall per secret type and per context, decoys flagged
 * per decoy type, findings outside any plant (false positives), and the misses by name and place.
 * Holds fingerprints and positions, never a secret.
 */
public final class Score {
    final Map<String, int[]> byType = new TreeMap<>();
    final Map<String, int[]> byContext = new TreeMap<>();
    final Map<String, int[]> decoys = new TreeMap<>();
    final List<String> misses = new ArrayList<>();
    final List<String> decoyHits = new ArrayList<>();
    final List<String> falsePositives = new ArrayList<>();
    int planted;
    int found;
    int mayflyPlanted;
    int mayflyFound;
    int strictDecoysFlagged;
    int decoysFlagged;
    /** Findings inside a secret's statement that are not that secret (another rule on the same text). */
    int extraInPlants;

    void secret(Plant p, boolean hit) {
        count(byType, p.category(), hit);
        count(byContext, p.context().label(), hit);
        planted++;
        if (hit) {
            found++;
        } else {
            misses.add(p.category() + " in " + p.context().label() + " at " + p.file() + ":" + p.line());
        }
        if (p.mayfly()) {
            mayflyPlanted++;
            if (hit) {
                mayflyFound++;
            }
        }
    }

    void decoy(Plant p, List<String> rules) {
        boolean flagged = !rules.isEmpty();
        count(decoys, p.category(), flagged);
        if (flagged) {
            decoysFlagged++;
            if (p.strict()) {
                strictDecoysFlagged++;
            }
            decoyHits.add(p.category() + " in " + p.context().label() + " at " + p.file() + ":" + p.line() + " by " + rules);
        }
    }

    private static void count(Map<String, int[]> m, String key, boolean hit) {
        int[] c = m.computeIfAbsent(key, k -> new int[2]);
        c[0]++;
        if (hit) {
            c[1]++;
        }
    }

    public double recall() {
        return planted == 0 ? 1 : (double) found / planted;
    }

    public double mayflyRecall() {
        return mayflyPlanted == 0 ? 1 : (double) mayflyFound / mayflyPlanted;
    }

    public int strictDecoysFlagged() {
        return strictDecoysFlagged;
    }

    public int decoysFlagged() {
        return decoysFlagged;
    }

    public List<String> misses() {
        return List.copyOf(misses);
    }

    public List<String> decoyHits() {
        return List.copyOf(decoyHits);
    }

    public List<String> falsePositives() {
        return List.copyOf(falsePositives);
    }

    /** Mayfly recall per context: every context must be 100%. */
    public Map<String, Double> recallByType() {
        Map<String, Double> out = new TreeMap<>();
        byType.forEach((k, v) -> out.put(k, (double) v[1] / v[0]));
        return out;
    }

    /** The score as Markdown tables. */
    public String markdown() {
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "Recall: **%d / %d = %.1f%%** (Mayfly's own credentials: %d / %d = %.1f%%); "
                + "decoys flagged: %d (checksummed or structured: %d); other false positives: %d; "
                + "other findings inside planted statements: %d%n%n", found, planted, 100 * recall(), mayflyFound, mayflyPlanted,
                100 * mayflyRecall(), decoysFlagged, strictDecoysFlagged, falsePositives.size(), extraInPlants));
        table(md, "secret type", byType, "found");
        table(md, "context", byContext, "found");
        table(md, "decoy", decoys, "flagged");
        list(md, "Missed", misses);
        list(md, "Decoys flagged", decoyHits);
        list(md, "Other false positives", falsePositives);
        return md.toString();
    }

    private static void table(StringBuilder md, String what, Map<String, int[]> m, String verb) {
        md.append("| ").append(what).append(" | planted | ").append(verb).append(" | % |\n|---|---|---|---|\n");
        m.forEach((k, v) -> md.append(String.format(Locale.ROOT, "| %s | %d | %d | %.1f |%n", k, v[0], v[1], 100.0 * v[1] / v[0])));
        md.append('\n');
    }

    private static void list(StringBuilder md, String title, List<String> items) {
        if (items.isEmpty()) {
            return;
        }
        md.append(title).append(" (").append(items.size()).append("):\n\n");
        int shown = 0;
        for (String s : items) {
            if (shown++ == 20) {
                md.append("- … ").append(items.size() - 20).append(" more\n");
                break;
            }
            md.append("- ").append(s).append('\n');
        }
        md.append('\n');
    }
}
