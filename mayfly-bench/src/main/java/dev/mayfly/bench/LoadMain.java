package dev.mayfly.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The load generator as a process of its own, so it does not share the broker's heap, GC and JIT, and the
 * broker's memory can be measured alone. Two targets:
 * <ul>
 *   <li>a Mayfly broker in another process: {@code --broker URL --home DIR} (the broker's home, whose
 *       {@code admin.json} registers the bench agent); any scenario;</li>
 *   <li>any OAuth token endpoint: {@code --token-url URL --client-id ID --client-secret SECRET}; the
 *       client_credentials scenario only (the Keycloak side by side).</li>
 * </ul>
 * {@code --scenario NAME} (repeatable; default token_exchange), {@code --workers N} (32), {@code --seconds S}
 * (15), {@code --warmup S} (0: an unmeasured run first, for a cold JIT), {@code --client socket|jdk} (the
 * workers' HTTP client: a keep-alive socket each, the default, or the JDK's HttpClient), {@code --rate R} (an
 * open loop at R requests per second over {@code --workers} keep-alive connections instead of the closed loop), {@code --label TEXT} (names the rows), {@code --pid PID} (reports that process's resident memory: the
 * peak sampled during each run and its VmHWM, and its CPU time). Prints one Markdown table row per run, ending in
 * the CPU time per request of the server (when {@code --pid} is given) and of the load generator itself, and the
 * cores the rest of the machine kept busy meanwhile (other processes: what disturbed the run).
 */
public final class LoadMain {
    private LoadMain() {
    }

    public static void main(String[] args) throws Exception {
        String broker = null;
        String tokenUrl = null;
        String clientId = null;
        String clientSecret = null;
        Path home = null;
        String pid = null;
        String label = null;
        int workers = 32;
        int seconds = 15;
        int warmup = 0;
        int rate = 0;
        LoadGenerator.Client client = LoadGenerator.Client.SOCKET;
        List<Scenario> scenarios = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--broker" -> broker = value;
                case "--home" -> home = Path.of(value);
                case "--token-url" -> tokenUrl = value;
                case "--client-id" -> clientId = value;
                case "--client-secret" -> clientSecret = value;
                case "--pid" -> pid = value;
                case "--label" -> label = value;
                case "--workers" -> workers = Integer.parseInt(value);
                case "--seconds" -> seconds = Integer.parseInt(value);
                case "--warmup" -> warmup = Integer.parseInt(value);
                case "--rate" -> rate = Integer.parseInt(value);
                case "--client" -> client = LoadGenerator.Client.valueOf(value.toUpperCase(Locale.ROOT));
                case "--scenario" -> scenarios.add(Scenario.valueOf(value.toUpperCase(Locale.ROOT)));
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
            i++;
        }
        if (scenarios.isEmpty()) {
            scenarios.add(Scenario.TOKEN_EXCHANGE);
        }
        BenchBroker.Provisioned provisioned = null;
        Scenario.Target target;
        if (tokenUrl != null) {
            target = Scenario.Target.tokenEndpoint(tokenUrl, clientId, clientSecret);
        } else if (broker != null && home != null) {
            provisioned = BenchBroker.provision(broker, home);
            target = provisioned.target();
        } else {
            throw new IllegalArgumentException("give --broker URL --home DIR, or --token-url URL --client-id ID --client-secret SECRET");
        }
        try {
            LoadGenerator load = new LoadGenerator(target);
            for (Scenario s : scenarios) {
                if (warmup > 0 && rate > 0) {
                    load.openLoopSockets(s, rate, Duration.ofSeconds(warmup), workers); // warm the path that is measured
                } else if (warmup > 0) {
                    load.closedLoop(s, workers, Duration.ofSeconds(warmup), client);
                }
                MemoryWatch watch = pid == null ? null : MemoryWatch.start(pid);
                double brokerCpu = pid == null ? Double.NaN : CpuClock.seconds(pid);
                double ownCpu = CpuClock.seconds("self");
                double machine = CpuClock.machineBusySeconds();
                long t0 = System.nanoTime();
                LoadResult r = rate > 0 ? load.openLoopSockets(s, rate, Duration.ofSeconds(seconds), workers)
                        : load.closedLoop(s, workers, Duration.ofSeconds(seconds), client);
                brokerCpu = pid == null ? Double.NaN : CpuClock.seconds(pid) - brokerCpu;
                ownCpu = CpuClock.seconds("self") - ownCpu;
                double others = (CpuClock.machineBusySeconds() - machine - ownCpu - (pid == null ? 0 : brokerCpu))
                        / ((System.nanoTime() - t0) / 1e9);
                String row = label == null ? r.row() : r.row().replaceFirst("^\\| [^|]+ \\|", "| " + label + " |");
                row += String.format(Locale.ROOT, " %.0f / %.0f µs | %.2f |", 1e6 * brokerCpu / r.requests(), 1e6 * ownCpu / r.requests(),
                        Math.max(0, others));
                if (watch != null) {
                    row += String.format(Locale.ROOT, " rss peak %d MB, VmHWM %d MB |", watch.stop(),
                            BenchBroker.procStatusMb(pid, "VmHWM:"));
                }
                System.out.println(row);
            }
        } finally {
            if (provisioned != null) {
                provisioned.resource().stop();
            }
        }
    }

    /** Samples another process's resident memory every 100 ms and keeps the peak. */
    static final class MemoryWatch {
        private final AtomicLong peak = new AtomicLong(-1);
        private volatile boolean running = true;
        private Thread thread;

        static MemoryWatch start(String pid) {
            MemoryWatch w = new MemoryWatch();
            w.thread = new Thread(() -> {
                while (w.running) {
                    w.peak.accumulateAndGet(BenchBroker.procStatusMb(pid, "VmRSS:"), Math::max);
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "bench-memory-watch");
            w.thread.setDaemon(true);
            w.thread.start();
            return w;
        }

        long stop() throws InterruptedException {
            running = false;
            thread.join();
            return peak.get();
        }
    }
}
