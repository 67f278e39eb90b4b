package dev.mayfly.bench.corpus;

import dev.mayfly.scanner.Finding;
import dev.mayfly.scanner.ScanResult;
import dev.mayfly.scanner.SecretScanner;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Scans every file of a corpus and scores the findings against the ground truth. A planted secret is
 * found when a finding in its file starts inside its statement and has one of its fingerprints (the
 * secret must be reported whole: a fragment or a neighbour does not count). A finding inside a decoy's
 * statement flags that decoy; a finding outside every plant is a false positive.
 */
public final class Scorer {
    private Scorer() {
    }

    public static Score score(SecretScanner scanner, Corpus corpus) throws IOException {
        Map<String, List<Finding>> byFile = new HashMap<>();
        for (String f : corpus.files()) {
            ScanResult r = scanner.scan(corpus.root().resolve(f));
            byFile.put(f, r.findings());
        }
        Map<String, List<Plant>> plantsByFile = new HashMap<>();
        for (Plant p : corpus.truth()) {
            plantsByFile.computeIfAbsent(p.file(), k -> new ArrayList<>()).add(p);
        }
        Score s = new Score();
        for (Plant p : corpus.truth()) {
            List<Finding> inside = new ArrayList<>();
            for (Finding f : byFile.getOrDefault(p.file(), List.of())) {
                if (p.contains(p.file(), f.offset())) {
                    inside.add(f);
                }
            }
            if (p.decoy()) {
                List<String> rules = new ArrayList<>();
                inside.forEach(f -> rules.add(f.ruleId()));
                s.decoy(p, rules);
            } else {
                boolean hit = false;
                for (Finding f : inside) {
                    if (p.fingerprints().contains(f.fingerprint())) {
                        hit = true;
                    } else {
                        s.extraInPlants++;
                    }
                }
                s.secret(p, hit);
            }
        }
        for (Map.Entry<String, List<Finding>> e : byFile.entrySet()) {
            for (Finding f : e.getValue()) {
                boolean placed = false;
                for (Plant p : plantsByFile.getOrDefault(e.getKey(), List.of())) {
                    if (p.contains(e.getKey(), f.offset())) {
                        placed = true;
                        break;
                    }
                }
                if (!placed) {
                    s.falsePositives.add(f.ruleId() + " at " + e.getKey() + ":" + f.line() + ":" + f.column() + " " + f.redacted());
                }
            }
        }
        return s;
    }
}
