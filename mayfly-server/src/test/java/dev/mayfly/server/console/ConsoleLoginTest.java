package dev.mayfly.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.core.json.Json;
import dev.mayfly.core.policy.AgentKind;
import dev.mayfly.core.secret.OpaqueSecret;
import dev.mayfly.core.secret.SecretKind;
import dev.mayfly.server.store.Agent;
import dev.mayfly.server.store.AgentStore;
import dev.mayfly.server.testing.BrokerClient;
import dev.mayfly.server.testing.BrokerExtension;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The console's sign-in and cookie path over plain HTTP, as a browser would send it (the browser itself is in
 * mayfly-it's ConsoleBrowserTest): links, cookies and their flags, renewal, CSRF and origin checks, the page's
 * headers, and the redaction of what a cookie-authorised reader is served.
 */
class ConsoleLoginTest {
    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private BrokerClient client;
    private String admin;

    @BeforeEach
    void setUp() {
        client = broker.client();
        admin = client.adminToken(broker.adminCredentials());
    }

    @Test
    void theLinkBuysAnHttpOnlyStrictCookieWhoseSessionIsAnAuditedSessionOfTheAdmin() throws Exception {
        HttpResponse<String> login = login(code(newLink()));
        assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
        List<String> cookies = login.headers().allValues("Set-Cookie");
        assertThat(cookies).anySatisfy(c -> assertThat(c).startsWith("mayfly_console=ey").contains("HttpOnly")
                .contains("SameSite=Strict").contains("Path=/").doesNotContain("Secure"));
        assertThat(cookies).anySatisfy(c -> assertThat(c).startsWith("mayfly_console_csrf=csrf_")
                .contains("SameSite=Strict").doesNotContain("HttpOnly"));
        JsonNode data = Json.mapper().readTree(login.body()).get("data");
        assertThat(login.body()).doesNotContain(cookie(login, "mayfly_console"));
        String session = data.get("session_id").asText();

        // The console session is a session like others: the admin's, in the audit trail, attributed on use.
        HttpResponse<String> whoami = get("/v1/whoami", cookies(login));
        assertThat(whoami.statusCode()).isEqualTo(200);
        assertThat(Json.mapper().readTree(whoami.body()).at("/data/session_id").asText()).isEqualTo(session);
        JsonNode started = client.get("/v1/audit?session_id=" + session + "&event=session.started", admin).body();
        assertThat(started.at("/data/records/0/details/grant").asText()).isEqualTo("console_link");
        JsonNode sessions = Json.mapper().readTree(get("/console/api/sessions", cookies(login)).body()).at("/data/sessions");
        assertThat(sessions.findValuesAsText("session_id")).contains(session);
    }

    @Test
    void aLinkWorksOnceAndForSixtySeconds() throws Exception {
        String code = code(newLink());
        assertThat(login(code).statusCode()).isEqualTo(200);
        assertRefused(login(code), 401, "CREDENTIALS_REVOKED");
        assertThat(Json.mapper().readTree(login(code).body()).at("/error/reauth_command").asText()).isEqualTo("mayfly console");

        String late = code(newLink());
        broker.clock().advance(Duration.ofSeconds(60));
        assertRefused(login(late), 401, "CREDENTIALS_EXPIRED");
        assertRefused(login("mfy_rt_" + "A".repeat(38)), 401, "CREDENTIALS_INVALID");
    }

    @Test
    void theCodeBuysNothingAtTheTokenEndpointNorDoesARefreshTokenOpenTheConsole() throws Exception {
        String code = code(newLink());
        BrokerClient.Response refreshed = client.refresh(code);
        if (refreshed.status() == 200) {
            // Whatever the grant answers, the token it gives has only the link's scope: no admin API opens.
            BrokerClient.Response agents = client.get("/v1/agents", refreshed.body().get("access_token").asText());
            assertThat(agents.status()).isEqualTo(403);
        }
        BrokerClient.Response session = client.login(broker.adminCredentials().get("client_id").asText(),
                broker.adminCredentials().get("client_secret").asText());
        assertRefused(login(session.body().get("refresh_token").asText()), 401, "CREDENTIALS_INVALID");
    }

    @Test
    void loginNeedsTheBrokersOwnOrigin() throws Exception {
        String code = code(newLink());
        HttpResponse<String> foreign = send(HttpRequest.newBuilder(uri("/console/api/login"))
                .header("Origin", "https://attacker.example").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(Map.of("code", code)))));
        assertRefused(foreign, 403, "PERMISSION_DENIED");
        assertThat(login(code).statusCode()).as("the refused attempt did not use the link up").isEqualTo(200);
    }

    @Test
    void cookieWritesNeedTheCsrfTokenAndTheOwnOrigin() throws Exception {
        HttpResponse<String> login = login(code(newLink()));
        String cookies = cookies(login);
        String csrf = cookie(login, "mayfly_console_csrf");
        JsonNode agent = client.createAgent(admin, "csrf-target", "interactive", List.of("x:read"), List.of());
        String body = Json.write(Map.of("agent_id", agent.get("agent_id").asText()));
        assertRefused(post("/v1/revocations", cookies, client.base(), null, body), 403, "PERMISSION_DENIED");
        assertRefused(post("/v1/revocations", cookies, client.base(), "csrf_wrong", body), 403, "PERMISSION_DENIED");
        assertRefused(post("/v1/revocations", cookies, null, csrf, body), 403, "PERMISSION_DENIED");
        assertRefused(post("/v1/revocations", cookies, "http://evil.example", csrf, body), 403, "PERMISSION_DENIED");
        assertThat(client.get("/v1/agents/" + agent.get("agent_id").asText(), admin).body().at("/data/disabled").asBoolean())
                .isFalse();
        HttpResponse<String> ok = post("/v1/revocations", cookies, client.base(), csrf, body);
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(201);
    }

    @Test
    void renewalGivesANewTokenForTheSameSessionAndLogoutRevokesIt() throws Exception {
        HttpResponse<String> login = login(code(newLink()));
        String session = Json.mapper().readTree(login.body()).at("/data/session_id").asText();
        String csrf = cookie(login, "mayfly_console_csrf");
        broker.clock().advance(Duration.ofSeconds(90));
        HttpResponse<String> renewed = post("/console/api/renew", cookies(login), client.base(), csrf, "{}");
        assertThat(renewed.statusCode()).as(renewed.body()).isEqualTo(200);
        assertThat(Json.mapper().readTree(renewed.body()).at("/data/session_id").asText()).isEqualTo(session);
        String fresh = "mayfly_console=" + cookie(renewed, "mayfly_console") + "; mayfly_console_csrf=" + csrf;
        // Past the first token's two minutes and the 30 s leeway, well within the new one's.
        broker.clock().advance(Duration.ofSeconds(70));
        assertRefused(get("/console/api/sessions", cookies(login)), 401, "CREDENTIALS_EXPIRED");
        assertThat(get("/console/api/sessions", fresh).statusCode()).isEqualTo(200);

        assertThat(post("/console/api/logout", fresh, client.base(), csrf, "{}").statusCode()).isEqualTo(200);
        assertRefused(get("/console/api/sessions", fresh), 401, "CREDENTIALS_REVOKED");
        assertRefused(post("/console/api/renew", fresh, client.base(), csrf, "{}"), 401, "CREDENTIALS_REVOKED");
    }

    @Test
    void aForgedCookieIsInvalidAndABearerTokenIsNotACookie() throws Exception {
        HttpResponse<String> login = login(code(newLink()));
        String token = cookie(login, "mayfly_console");
        String forged = token.substring(0, token.lastIndexOf('.') + 1) + "A".repeat(86);
        assertRefused(get("/console/api/sessions", "mayfly_console=" + forged), 401, "CREDENTIALS_INVALID");
        assertRefused(get("/console/api/sessions", null), 401, "CREDENTIALS_MISSING");
        HttpResponse<String> bearer = send(HttpRequest.newBuilder(uri("/console/api/sessions"))
                .header("Authorization", "Bearer " + admin).GET());
        assertRefused(bearer, 400, "USAGE");
    }

    @Test
    void thePageIsServedUnderAStrictPolicyAndOnlyItsOwnFiles() throws Exception {
        HttpResponse<String> page = get("/console/", null);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
                .startsWith("default-src 'self'").contains("frame-ancestors 'none'").contains("script-src 'self'")
                .doesNotContain("unsafe");
        assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(page.body()).contains("<script type=\"module\" src=\"/console/app.js\">").doesNotContain("<script>");
        assertThat(get("/console/app.js", null).headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
        assertThat(get("/console/..%2Fdb%2Fcommon", null).statusCode()).isIn(400, 404);
        assertThat(get("/console/nothing.js", null).statusCode()).isEqualTo(404);
    }

    @Test
    void aCookieReaderIsServedRedactedStringsWhereABearerReaderIsServedThemAsStored() throws Exception {
        // The API refuses a secret in an agent's name; one is planted in the store, as an older broker might
        // have written it, to see what each kind of reader is served.
        String secret = OpaqueSecret.generate(SecretKind.CLIENT_SECRET).secret().reveal();
        broker.broker().db().inTransaction(c -> {
            new AgentStore().insert(c, new Agent("agt_plantedRedaction00", "cid_plantedRedaction00", "pasted " + secret,
                    AgentKind.INTERACTIVE, List.of("notes:read"), List.of(), "0".repeat(64), broker.clock().instant(), null));
            return null;
        });
        assertThat(client.get("/v1/agents/agt_plantedRedaction00", admin).raw()).contains(secret);
        HttpResponse<String> login = login(code(newLink()));
        HttpResponse<String> viaCookie = get("/v1/agents/agt_plantedRedaction00", cookies(login));
        assertThat(viaCookie.statusCode()).isEqualTo(200);
        assertThat(Json.mapper().readTree(viaCookie.body()).at("/data/name").asText()).isEqualTo("pasted mfy_cs_********");
        assertThat(get("/console/api/agents", cookies(login)).body()).doesNotContain(secret).contains("pasted mfy_cs_*");
    }

    private String newLink() {
        BrokerClient.Response r = client.postJson("/v1/console/links", admin, Map.of());
        assertThat(r.status()).as(r.raw()).isEqualTo(201);
        assertThat(r.body().at("/data/expires_at").asText()).isEqualTo(broker.clock().instant().plusSeconds(60).toString());
        return r.body().at("/data/path").asText();
    }

    private static String code(String path) {
        assertThat(path).startsWith("/console/#code=mfy_rt_");
        return path.substring("/console/#code=".length());
    }

    private static String cookie(HttpResponse<String> r, String name) {
        return r.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(name + "="))
                .map(c -> c.substring(name.length() + 1, c.indexOf(';'))).findFirst().orElseThrow();
    }

    private static String cookies(HttpResponse<String> login) {
        return "mayfly_console=" + cookie(login, "mayfly_console") + "; mayfly_console_csrf=" + cookie(login, "mayfly_console_csrf");
    }

    private static void assertRefused(HttpResponse<String> r, int status, String code) throws IOException {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(Json.mapper().readTree(r.body()).at("/error/code").asText()).isEqualTo(code);
    }

    private HttpResponse<String> login(String code) throws Exception {
        return send(HttpRequest.newBuilder(uri("/console/api/login")).header("Origin", client.base())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(Map.of("code", code)))));
    }

    private HttpResponse<String> get(String path, String cookies) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).GET();
        if (cookies != null) {
            b.header("Cookie", cookies);
        }
        return send(b);
    }

    private HttpResponse<String> post(String path, String cookies, String origin, String csrf, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).header("Cookie", cookies)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (origin != null) {
            b.header("Origin", origin);
        }
        if (csrf != null) {
            b.header("X-Mayfly-CSRF", csrf);
        }
        return send(b);
    }

    private URI uri(String path) {
        return URI.create(client.base() + path);
    }

    private static HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        return HTTP.send(b.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
