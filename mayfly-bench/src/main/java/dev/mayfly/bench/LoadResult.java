package dev.mayfly.bench;

import java.util.Arrays;
import java.util.Locale;

/**
 * What one load run measured: throughput and the latency distribution (nanoseconds, sorted). Latency is
 * measured from when a request was due (open loop) or sent (closed loop) to when its response arrived.
 */
public record LoadResult(String scenario, String mode, int concurrencyOrRate, long requests, long errors,
                         double seconds, long[] sortedLatencyNanos) {

    public double throughput() {
        return requests / seconds;
    }

    public double percentileMillis(double p) {
        if (sortedLatencyNanos.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.min(sortedLatencyNanos.length - 1, Math.ceil(p / 100.0 * sortedLatencyNanos.length) - 1);
        return sortedLatencyNanos[Math.max(0, i)] / 1e6;
    }

    static LoadResult of(String scenario, String mode, int concurrencyOrRate, long errors, double seconds, long[] latencies) {
        long[] sorted = latencies.clone();
        Arrays.sort(sorted);
        return new LoadResult(scenario, mode, concurrencyOrRate, sorted.length, errors, seconds, sorted);
    }

    public String row() {
        return String.format(Locale.ROOT, "| %s | %s %d | %d | %d | %.0f/s | %.2f | %.2f | %.2f | %.2f |", scenario, mode,
                concurrencyOrRate, requests, errors, throughput(), percentileMillis(50), percentileMillis(99),
                percentileMillis(99.9), sortedLatencyNanos.length == 0 ? Double.NaN : sortedLatencyNanos[sortedLatencyNanos.length - 1] / 1e6);
    }

    public static String header() {
        return "| scenario | load | requests | errors | throughput | p50 ms | p99 ms | p99.9 ms | max ms |\n"
                + "|---|---|---|---|---|---|---|---|---|";
    }
}
