package dev.mayfly.server.crash;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.core.json.Json;
import dev.mayfly.server.testing.BrokerClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;

/**
 * One client thread of the crash load: logs in, refreshes, exchanges for task tokens and revokes (a task
 * token's jti, a task, or one of its own sessions), recording in the {@link Ledger} only what the broker
 * acknowledged. Runs until the broker dies under it (a request fails with an I/O error).
 */
final class LoadWorker implements Callable<Void> {
    private final BrokerClient client;
    private final String clientId;
    private final String clientSecret;
    private final String adminToken;
    private final String audience;
    private final Ledger ledger;
    private final Random random;
    private final List<String> sessions = new ArrayList<>();
    private final Map<String, String> accessTokens = new HashMap<>();
    private final List<String> taskJtis = new ArrayList<>();
    private final List<String> taskIds = new ArrayList<>();
    private int tasks;
    private final String agentId;

    LoadWorker(BrokerClient client, JsonNode agent, String adminToken, String audience, Ledger ledger, long seed) {
        this.client = client;
        this.clientId = agent.get("client_id").asText();
        this.clientSecret = agent.get("client_secret").asText();
        this.agentId = agent.get("agent_id").asText();
        this.adminToken = adminToken;
        this.audience = audience;
        this.ledger = ledger;
        this.random = new Random(seed);
    }

    @Override
    public Void call() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                step();
                ledger.answered.incrementAndGet();
            } catch (UncheckedIOException e) {
                ledger.inFlightAtKill.incrementAndGet();
                return null; // the broker was killed under this request
            }
        }
        return null;
    }

    private void step() {
        int op = random.nextInt(10);
        if (sessions.isEmpty() || op < 2) {
            login();
        } else if (op < 5) {
            refresh(pick(sessions));
        } else if (op < 8) {
            exchange(pick(sessions));
        } else {
            revoke();
        }
    }

    private void login() {
        BrokerClient.Response r = client.login(clientId, clientSecret);
        if (r.status() == 200) {
            String sid = r.body().get("session_id").asText();
            sessions.add(sid);
            received(sid, r.body());
        }
    }

    private void refresh(String sid) {
        BrokerClient.Response r = client.refresh(ledger.refreshTokens.get(sid));
        if (r.status() == 200) {
            received(sid, r.body());
        } else {
            sessions.remove(sid); // revoked (by this worker): keep its token in the ledger for the check
        }
    }

    private void received(String sid, JsonNode tokenResponse) {
        ledger.refreshTokens.put(sid, tokenResponse.get("refresh_token").asText());
        String at = tokenResponse.get("access_token").asText();
        accessTokens.put(sid, at);
        ledger.jtis.add(jti(at));
    }

    private void exchange(String sid) {
        String task = "crash-task-" + Thread.currentThread().getId() + "-" + (++tasks);
        BrokerClient.Response r = client.exchange(accessTokens.get(sid), Map.of("audience", audience, "task_id", task));
        if (r.status() == 200) {
            String jti = jti(r.body().get("access_token").asText());
            ledger.jtis.add(jti);
            taskJtis.add(jti);
            taskIds.add(task);
        }
    }

    private void revoke() {
        int which = random.nextInt(3);
        String field;
        String target;
        if (which == 0 && !taskJtis.isEmpty()) {
            field = "jti";
            target = pick(taskJtis);
        } else if (which == 1 && !taskIds.isEmpty()) {
            field = "task_id";
            target = pick(taskIds);
        } else {
            field = "session_id";
            target = pick(sessions);
        }
        Map<String, String> body = field.equals("task_id") // a task id names a task within its agent
                ? Map.of(field, target, "agent_id", agentId, "reason", "crash test")
                : Map.of(field, target, "reason", "crash test");
        BrokerClient.Response r = client.postJson("/v1/revocations", adminToken, body);
        if (r.status() / 100 == 2) {
            JsonNode d = r.body().get("data");
            ledger.acknowledged.add(new Ledger.Ack(d.get("seq").asLong(), d.get("kind").asText(), d.get("target").asText()));
            if (field.equals("session_id")) {
                sessions.remove(target);
            }
        }
    }

    private <T> T pick(List<T> from) {
        return from.get(random.nextInt(from.size()));
    }

    static String jti(String jwt) {
        try {
            byte[] payload = Base64.getUrlDecoder().decode(jwt.split("\\.")[1]);
            return Json.mapper().readTree(new String(payload, StandardCharsets.UTF_8)).get("jti").asText();
        } catch (IOException e) {
            throw new IllegalStateException("not a JWT payload", e);
        }
    }
}
