package dev.mayfly.bench;

import dev.mayfly.core.policy.AgentKind;
import dev.mayfly.core.policy.TtlDecision;
import dev.mayfly.core.policy.TtlPolicy;
import dev.mayfly.core.secret.OpaqueSecret;
import dev.mayfly.core.secret.SecretKind;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Policy evaluation and opaque-secret generation and checksum validation. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CoreBenchmarks {
    private final TtlPolicy policy = TtlPolicy.builder().crossTrustAudience("https://payments.example").build();
    private final List<String> scopes = List.of("orders:read", "orders:write", "reports:read", "billing:delete");
    private final List<String> audiences = List.of("https://api.example");
    private String secret;

    @Setup
    public void setUp() {
        secret = OpaqueSecret.generate(SecretKind.REFRESH_TOKEN).secret().reveal();
    }

    @Benchmark
    public TtlDecision policyDecide() {
        return policy.decide(scopes, audiences, AgentKind.LLM, Duration.ofHours(1), Duration.ofMinutes(20));
    }

    @Benchmark
    public OpaqueSecret opaqueGenerate() {
        return OpaqueSecret.generate(SecretKind.REFRESH_TOKEN);
    }

    @Benchmark
    public Optional<OpaqueSecret> opaqueParseAndChecksum() {
        return OpaqueSecret.parse(secret);
    }
}
