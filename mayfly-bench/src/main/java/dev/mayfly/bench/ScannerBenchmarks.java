package dev.mayfly.bench;

import dev.mayfly.core.secret.OpaqueSecret;
import dev.mayfly.core.secret.SecretKind;
import dev.mayfly.scanner.Decoding;
import dev.mayfly.scanner.ScanResult;
import dev.mayfly.scanner.SecretScanner;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Scanner throughput over a deterministic 4 MB application/agent log (JSON lines with nested JSON
 * strings, Authorization headers, a planted Mayfly secret every ~40 lines). One op = one whole log:
 * MB/s = 4 / (seconds per op).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ScannerBenchmarks {
    static final int BYTES = 4 * 1024 * 1024;

    private String log;
    private SecretScanner allDecoders;
    private SecretScanner noDecoders;

    @Setup
    public void setUp() {
        log = corpus(BYTES, 42);
        allDecoders = SecretScanner.create();
        noDecoders = SecretScanner.builder().decodings(Set.<Decoding>of()).build();
    }

    static String corpus(int bytes, long seed) {
        Random r = new Random(seed);
        StringBuilder sb = new StringBuilder(bytes + 512);
        int line = 0;
        while (sb.length() < bytes) {
            line++;
            sb.append("{\"ts\":\"2026-11-22T14:00:").append(line % 60).append("Z\",\"level\":\"INFO\",\"req\":\"req_")
                    .append(Long.toHexString(r.nextLong())).append("\",\"msg\":\"");
            switch (line % 5) {
                case 0:
                    sb.append("tool call {\\\"name\\\":\\\"search\\\",\\\"args\\\":{\\\"q\\\":\\\"quarterly revenue by region\\\"}}");
                    break;
                case 1:
                    sb.append("GET /api/orders?page=").append(line).append(" 200 cache_key=")
                            .append(Long.toHexString(r.nextLong())).append(Long.toHexString(r.nextLong()));
                    break;
                case 2:
                    sb.append("Authorization: Basic dXNlcjpub3RhcmVhbHBhc3N3b3Jk");
                    break;
                default:
                    sb.append("the agent summarised ").append(r.nextInt(1000)).append(" documents for task tsk_")
                            .append(Integer.toHexString(r.nextInt()));
            }
            if (line % 40 == 0) {
                sb.append(" refresh=").append(OpaqueSecret.generate(SecretKind.REFRESH_TOKEN).secret().reveal());
            }
            sb.append("\"}\n");
        }
        return sb.toString();
    }

    @Benchmark
    public ScanResult scanAllDecoders() {
        return allDecoders.scan(log, "bench.log");
    }

    @Benchmark
    public ScanResult scanNoDecoders() {
        return noDecoders.scan(log, "bench.log");
    }
}
