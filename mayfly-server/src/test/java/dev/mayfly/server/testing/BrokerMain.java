package dev.mayfly.server.testing;

import dev.mayfly.server.Broker;
import dev.mayfly.server.BrokerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * A broker in a process of its own, for multi-node and crash tests: {@code [--db URL] --home DIR --listen
 * HOST:PORT --issuer URL [--feed-heartbeat-ms N]} (without {@code --db}: SQLite in the home). The master key
 * comes from {@code MAYFLY_MASTER_KEY}. Prints {@code READY} on stdout once listening, then runs until killed.
 */
public final class BrokerMain {
    private BrokerMain() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            opts.put(args[i], args[i + 1]);
        }
        BrokerConfig.Builder b = BrokerConfig.builder()
                .listen(opts.get("--listen"))
                .home(Path.of(opts.get("--home")))
                .issuer(opts.get("--issuer"));
        if (opts.containsKey("--db")) {
            b.database(opts.get("--db"), Postgres.USER, null);
        }
        if (opts.containsKey("--feed-heartbeat-ms")) {
            b.feedHeartbeat(Duration.ofMillis(Long.parseLong(opts.get("--feed-heartbeat-ms"))));
        }
        Broker broker = Broker.start(b.build());
        System.out.println("READY " + broker.port());
        System.out.flush();
        broker.join();
    }
}
