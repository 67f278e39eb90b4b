package dev.mayfly.bench.corpus;

import java.util.Arrays;
import java.util.List;

/**
 * Ground truth for one planted secret or decoy: where it is ({@code file}, 1-based {@code line} of its
 * first character, character range {@code [start, end)} of the whole statement that carries it) and, for
 * a secret, the fingerprints a correct finding may have (the secret's, or for a Kubernetes value the
 * encoded value's). Never holds the secret itself.
 */
record Plant(int id, boolean decoy, String category, boolean mayfly, boolean strict, Context context, String file,
        int line, long start, long end, List<String> fingerprints) {

    String toTsv() {
        return String.join("\t", String.valueOf(id), decoy ? "decoy" : "secret", category, String.valueOf(mayfly),
                String.valueOf(strict), context.label(), file, String.valueOf(line), String.valueOf(start),
                String.valueOf(end), String.join(",", fingerprints));
    }

    static Plant fromTsv(String line) {
        String[] f = line.split("\t", -1);
        return new Plant(Integer.parseInt(f[0]), f[1].equals("decoy"), f[2], Boolean.parseBoolean(f[3]),
                Boolean.parseBoolean(f[4]), Context.valueOf(f[5].toUpperCase(java.util.Locale.ROOT)), f[6],
                Integer.parseInt(f[7]), Long.parseLong(f[8]), Long.parseLong(f[9]),
                f[10].isEmpty() ? List.of() : Arrays.asList(f[10].split(",")));
    }

    boolean contains(String file, long offset) {
        return this.file.equals(file) && offset >= start && offset < end;
    }
}
