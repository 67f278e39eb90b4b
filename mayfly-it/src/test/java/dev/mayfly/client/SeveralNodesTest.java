package dev.mayfly.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.client.testing.Agents;
import dev.mayfly.client.testing.Agents.Agent;
import dev.mayfly.client.testing.FaultProxy;
import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyException;
import dev.mayfly.server.testing.BrokerExtension;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link OAuthClient} and {@link V1Api} given several broker URLs (here two loopback proxies in front of one
 * real broker, standing for two nodes): a node that refuses connections is passed over by every call; one
 * answering 503 is passed over by logins and {@code /v1} GETs but not by a {@code /v1} POST (it may have acted);
 * with no node left the call is {@code UNAVAILABLE}.
 */
class SeveralNodesTest {
    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    FaultProxy first;
    FaultProxy second;
    Agent agent;
    MayflyHttp http;

    @BeforeEach
    void setUp() {
        int port = URI.create(broker.issuer()).getPort();
        first = new FaultProxy(port);
        second = new FaultProxy(port);
        agent = Agents.create(broker, List.of("orders:read"), List.of());
        http = MayflyHttp.builder().requestTimeout(Duration.ofSeconds(5)).clock(broker.clock()).build();
    }

    @AfterEach
    void tearDown() {
        first.close();
        second.close();
    }

    private List<String> nodes() {
        return List.of(first.uri().toString().replaceAll("/$", ""), second.uri().toString().replaceAll("/$", ""));
    }

    private OAuthClient oauth() {
        return OAuthClient.create(nodes().stream().map(URI::create).toList(), http.client(), Duration.ofSeconds(5),
                broker.clock(), null);
    }

    @Test
    void aNodeThatRefusesConnectionsIsPassedOverByEveryCall() {
        first.refuse();
        TokenResponse login = oauth().login(agent.clientId(), agent.clientSecret(), null, null);
        V1Api v1 = http.v1(nodes());
        assertThat(v1.get("/v1/whoami", login.accessToken()).get("agent_id").asText()).isEqualTo(agent.agentId());
        assertThat(v1.base()).isEqualTo(nodes().get(1));
        JsonNode revoked = v1.post("/v1/revocations", login.accessToken(), Map.of("session_id", login.sessionId()));
        assertThat(revoked.get("seq").asLong()).isPositive();
        assertThat(first.forwarded()).isZero();
    }

    @Test
    void a503IsPassedOverByLoginsAndGetsButNotByPosts() {
        first.serve503(2);
        TokenResponse login = oauth().login(agent.clientId(), agent.clientSecret(), null, null);
        V1Api v1 = http.v1(nodes());
        assertThat(v1.get("/v1/whoami", login.accessToken()).get("agent_id").asText()).isEqualTo(agent.agentId());
        first.serve503(1);
        V1Api fresh = http.v1(nodes()); // starts at the first node again
        assertThatThrownBy(() -> fresh.post("/v1/revocations", login.accessToken(), Map.of("jti", "another-jti")))
                .isInstanceOfSatisfying(MayflyException.class, e -> assertThat(e.error().code()).isEqualTo(ErrorCode.UNAVAILABLE));
        assertThat(second.requests()).isEqualTo(2); // the login and the GET, not the POST
    }

    @Test
    void withNoNodeLeftACallIsUnavailable() {
        TokenResponse login = oauth().login(agent.clientId(), agent.clientSecret(), null, null);
        first.refuse();
        second.refuse();
        assertThatThrownBy(() -> http.v1(nodes()).get("/v1/whoami", login.accessToken()))
                .isInstanceOfSatisfying(MayflyException.class, e -> assertThat(e.error().code()).isEqualTo(ErrorCode.UNAVAILABLE));
        assertThatThrownBy(() -> oauth().login(agent.clientId(), agent.clientSecret(), null, null))
                .isInstanceOfSatisfying(MayflyException.class, e -> assertThat(e.error().code()).isEqualTo(ErrorCode.UNAVAILABLE));
    }
}
