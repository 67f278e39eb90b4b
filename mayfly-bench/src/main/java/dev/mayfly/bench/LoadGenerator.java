package dev.mayfly.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Drives a broker over HTTP. Closed loop: N workers, each sending its next request when the last one
 * answered (measures capacity). Open loop: requests due at a fixed rate whatever the answers, latency
 * counted from when each was due, so a stalled server shows as latency rather than as fewer requests
 * (no coordinated omission).
 */
public final class LoadGenerator {
    private final Scenario.Target target;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    public LoadGenerator(Scenario.Target target) {
        this.target = target;
    }

    /** A worker with a fresh session and a task token. */
    Scenario.Worker worker() throws IOException, InterruptedException {
        Scenario.Worker w = new Scenario.Worker(target);
        if (target.broker() == null) {
            return w; // a foreign token endpoint: client credentials only, nothing to set up
        }
        JsonNode s = Scenario.parse(send(Scenario.CLIENT_CREDENTIALS.request(w)).body());
        w.sessionToken = s.get("access_token").asText();
        w.refreshToken = s.get("refresh_token").asText();
        w.taskToken = Scenario.parse(send(Scenario.form(target.broker() + "/oauth/token",
                Scenario.exchange(w.sessionToken, target.audience()), null)).body()).get("access_token").asText();
        return w;
    }

    private HttpResponse<String> send(BenchRequest r) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(r.toJdk(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("set-up request failed: HTTP " + response.statusCode() + " " + response.body());
        }
        return response;
    }

    /** The closed loop with the socket client where it can be used (plain http), the JDK's otherwise. */
    public LoadResult closedLoop(Scenario scenario, int workers, Duration duration) throws Exception {
        return closedLoop(scenario, workers, duration, Client.SOCKET);
    }

    /**
     * Which HTTP client the closed loop's workers use: one keep-alive socket each (light: the load generator
     * shares the machine's two cores with the server under test), or the JDK's HttpClient.
     */
    public enum Client {
        SOCKET,
        JDK
    }

    public LoadResult closedLoop(Scenario scenario, int workers, Duration duration, Client client) throws Exception {
        if (target.broker() == null && scenario.needsSession()) {
            throw new IllegalArgumentException("a foreign token endpoint takes only the client_credentials scenario");
        }
        List<Scenario.Worker> ws = new ArrayList<>();
        for (int i = 0; i < workers; i++) {
            ws.add(worker());
        }
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        AtomicLong errors = new AtomicLong();
        long end = System.nanoTime() + duration.toNanos();
        long start = System.nanoTime();
        List<Future<long[]>> results = new ArrayList<>();
        boolean sockets = client == Client.SOCKET && target.tokenUrl().startsWith("http:")
                && (target.resource() == null || target.resource().startsWith("http:"));
        for (Scenario.Worker w : ws) {
            results.add(pool.submit(() -> {
                WorkerRun run = new WorkerRun(sockets);
                while (System.nanoTime() < end) {
                    long t0 = System.nanoTime();
                    if (run.send(scenario, w)) {
                        run.record(System.nanoTime() - t0);
                    } else {
                        errors.incrementAndGet();
                    }
                }
                return run.finish();
            }));
        }
        long[] latencies = collect(results, pool);
        double seconds = (System.nanoTime() - start) / 1e9;
        return LoadResult.of(scenario.name().toLowerCase(java.util.Locale.ROOT), "closed", workers, errors.get(), seconds,
                latencies);
    }

    /**
     * Open loop over keep-alive sockets (what {@code --rate} runs): request {@code i} is due at {@code start + i / rate};
     * each of {@code connections} threads takes the next request, waits for its due time, sends it and counts its
     * latency from that time. When every connection is busy, due requests wait, and that wait is in their latency
     * (no coordinated omission); a server that cannot keep up shows as throughput below the rate and a run longer
     * than {@code duration}.
     */
    public LoadResult openLoopSockets(Scenario scenario, int rate, Duration duration, int connections) throws Exception {
        if (scenario == Scenario.REFRESH) {
            throw new IllegalArgumentException("refresh chains are sequential per worker; use the closed loop");
        }
        if (!target.tokenUrl().startsWith("http:")) {
            throw new IllegalArgumentException("the socket open loop speaks plain http only");
        }
        List<Scenario.Worker> ws = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            ws.add(worker());
        }
        long interval = TimeUnit.SECONDS.toNanos(1) / rate;
        long total = rate * duration.getSeconds();
        AtomicLong next = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(connections);
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
        List<Future<long[]>> results = new ArrayList<>();
        for (Scenario.Worker w : ws) {
            results.add(pool.submit(() -> {
                WorkerRun run = new WorkerRun(true);
                for (long i = next.getAndIncrement(); i < total; i = next.getAndIncrement()) {
                    long due = start + i * interval;
                    for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                        LockSupport.parkNanos(wait);
                    }
                    if (run.send(scenario, w)) {
                        run.record(System.nanoTime() - due);
                    } else {
                        errors.incrementAndGet();
                    }
                }
                return run.finish();
            }));
        }
        long[] latencies = collect(results, pool);
        double seconds = (System.nanoTime() - start) / 1e9;
        return LoadResult.of(scenario.name().toLowerCase(java.util.Locale.ROOT), "open", rate, errors.get(), seconds, latencies);
    }

    /** Sends at {@code rate} requests per second for {@code duration}, with at most {@code maxInFlight} open. */
    public LoadResult openLoop(Scenario scenario, int rate, Duration duration, int maxInFlight) throws Exception {
        if (scenario == Scenario.REFRESH) {
            throw new IllegalArgumentException("refresh chains are sequential per worker; use the closed loop");
        }
        List<Scenario.Worker> ws = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            ws.add(worker());
        }
        long interval = TimeUnit.SECONDS.toNanos(1) / rate;
        long total = rate * duration.getSeconds();
        long[] lat = new long[(int) total];
        AtomicLong done = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        Semaphore inFlight = new Semaphore(maxInFlight);
        List<CompletableFuture<?>> futures = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < total; i++) {
            long due = start + i * interval;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            if (!inFlight.tryAcquire()) {
                errors.incrementAndGet(); // the server fell too far behind: count it rather than wait
                continue;
            }
            int slot = i;
            Scenario.Worker w = ws.get(i % ws.size());
            futures.add(http.sendAsync(scenario.request(w).toJdk(), HttpResponse.BodyHandlers.ofString()).handle((r, t) -> {
                inFlight.release();
                if (t != null || !scenario.accept(w, r.statusCode(), r.body())) {
                    errors.incrementAndGet();
                } else {
                    lat[slot] = System.nanoTime() - due;
                    done.incrementAndGet();
                }
                return null;
            }));
        }
        CompletableFuture.allOf(futures.toArray(new CompletableFuture[0])).get(60, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - start) / 1e9;
        long[] measured = java.util.Arrays.stream(lat).filter(v -> v > 0).toArray();
        return LoadResult.of(scenario.name().toLowerCase(java.util.Locale.ROOT), "open", rate, errors.get(), seconds, measured);
    }

    /** One worker thread's connections (one keep-alive socket per origin, or the shared JDK client) and latencies. */
    private final class WorkerRun {
        private final boolean sockets;
        private final java.util.Map<String, Http1Connection> connections = new java.util.HashMap<>();
        private long[] latencies = new long[1 << 14];
        private int n;

        WorkerRun(boolean sockets) {
            this.sockets = sockets;
        }

        /** Sends the scenario's next request; false when it failed or the answer was not the expected one. */
        boolean send(Scenario scenario, Scenario.Worker w) {
            try {
                BenchRequest request = scenario.request(w);
                if (sockets) {
                    Http1Connection.Response r = connections.computeIfAbsent(request.uri().getRawAuthority(),
                            k -> new Http1Connection(request.uri())).send(request);
                    return scenario.accept(w, r.status(), r.body());
                }
                HttpResponse<String> r = http.send(request.toJdk(), HttpResponse.BodyHandlers.ofString());
                return scenario.accept(w, r.statusCode(), r.body());
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        void record(long nanos) {
            if (n == latencies.length) {
                latencies = java.util.Arrays.copyOf(latencies, n * 2);
            }
            latencies[n++] = nanos;
        }

        long[] finish() {
            connections.values().forEach(Http1Connection::close);
            return java.util.Arrays.copyOf(latencies, n);
        }
    }

    /** Every worker's latencies, once all have finished. */
    private static long[] collect(List<Future<long[]>> results, ExecutorService pool) throws Exception {
        List<long[]> all = new ArrayList<>();
        for (Future<long[]> f : results) {
            all.add(f.get());
        }
        pool.shutdown();
        return concat(all);
    }

    private static long[] concat(List<long[]> parts) {
        int n = parts.stream().mapToInt(p -> p.length).sum();
        long[] out = new long[n];
        int at = 0;
        for (long[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
