package dev.mayfly.bench;

import dev.mayfly.core.json.Json;
import dev.mayfly.verifier.FeedStatus;
import dev.mayfly.verifier.RevocationFeedSubscriber;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Revocation propagation: from the moment the revoke call is acknowledged to the moment each of N
 * subscribed verifiers has applied it (and so rejects the token), over many revocations.
 */
public final class PropagationRun {
    private PropagationRun() {
    }

    public static String run(BenchBroker broker, int verifiers, int revocations) throws Exception {
        String base = broker.target().broker();
        List<RevocationFeedSubscriber> subs = new ArrayList<>();
        for (int i = 0; i < verifiers; i++) {
            subs.add(RevocationFeedSubscriber.builder().broker(URI.create(base)).token(broker::adminToken)
                    .staleAfter(Duration.ofMinutes(5)).build().start());
        }
        try {
            for (RevocationFeedSubscriber s : subs) {
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (s.status().state() != FeedStatus.State.LIVE && System.nanoTime() < deadline) {
                    s.awaitSequence(Long.MAX_VALUE, Duration.ofMillis(20));
                }
            }
            HttpClient http = HttpClient.newHttpClient();
            long[] latencies = new long[revocations * verifiers];
            int n = 0;
            for (int i = 0; i < revocations; i++) {
                HttpRequest revoke = HttpRequest.newBuilder(URI.create(base + "/v1/revocations"))
                        .header("Authorization", "Bearer " + broker.adminToken())
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(Json.write(Map.of("jti", "bench-" + System.nanoTime()))))
                        .build();
                HttpResponse<String> r = http.send(revoke, HttpResponse.BodyHandlers.ofString());
                long acked = System.nanoTime();
                if (r.statusCode() != 201) {
                    throw new IllegalStateException("revocation failed: " + r.body());
                }
                long seq = Scenario.parse(r.body()).at("/data/seq").asLong();
                for (RevocationFeedSubscriber s : subs) {
                    if (!s.awaitSequence(seq, Duration.ofSeconds(5))) {
                        throw new IllegalStateException("revocation " + seq + " did not arrive within 5 s");
                    }
                    latencies[n++] = System.nanoTime() - acked;
                }
            }
            LoadResult result = LoadResult.of("propagation", "verifiers", verifiers, 0, 1, java.util.Arrays.copyOf(latencies, n));
            return String.format(Locale.ROOT,
                    "%d revocations to %d subscribed verifiers, from acknowledgement to applied at each: "
                            + "p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                    revocations, verifiers, result.percentileMillis(50), result.percentileMillis(99),
                    result.sortedLatencyNanos()[result.sortedLatencyNanos().length - 1] / 1e6);
        } finally {
            subs.forEach(RevocationFeedSubscriber::close);
        }
    }
}
