package dev.mayfly.it.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.core.json.Json;
import dev.mayfly.core.policy.AgentKind;
import dev.mayfly.scanner.Finding;
import dev.mayfly.scanner.SecretScanner;
import dev.mayfly.server.store.Agent;
import dev.mayfly.server.store.AgentStore;
import dev.mayfly.server.testing.BrokerClient;
import dev.mayfly.server.testing.BrokerExtension;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.openqa.selenium.StaleElementReferenceException;

/**
 * The operator's console in a real headless Chromium against a real broker on a real socket: sign in with a
 * one-time link, watch a session count down, revoke it from the page and see the token refused; the link
 * refused when replayed and when too old (the broker's clock moved, not waited for); a forged or replayed
 * cookie and a write without the CSRF token refused; and no secret anywhere in what the page shows, though
 * one was planted in the audit trail. A screenshot of every view goes to {@code target/console-shots/}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserTest {
    private static final List<String> VIEWS = List.of("sessions", "agents", "revocations", "leaks", "audit", "policy");
    private static final Path SHOTS = Path.of("target", "console-shots");

    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static ChromeDriver browser;
    private static BrokerClient client;
    private static String admin;
    /** The watched agent's session and its tokens. */
    private static String sessionId;
    private static String sessionToken;
    private static String taskToken;
    /** A client secret planted in the audit trail (in a leak report's URL): the page must never show it. */
    private static String plantedSecret;

    @BeforeAll
    static void setUp() throws IOException {
        browser = Chromium.start();
        Files.createDirectories(SHOTS);
        client = broker.client();
        admin = client.adminToken(broker.adminCredentials());
        JsonNode agent = client.createAgent(admin, "report-writer", "llm", List.of("reports:read", "reports:write"),
                List.of());
        BrokerClient.Response login = client.login(agent.get("client_id").asText(), agent.get("client_secret").asText());
        sessionToken = login.body().get("access_token").asText();
        sessionId = login.body().get("session_id").asText();
        BrokerClient.Response task = client.exchange(sessionToken, Map.of("scope", "reports:read", "task_id", "weekly-report"));
        assertThat(task.status()).as(task.raw()).isEqualTo(200);
        taskToken = task.body().get("access_token").asText();

        // A second agent's token is reported leaked (the leaks view lists it), from a URL holding its client secret
        // (which the broker masks when it records the report).
        JsonNode leaky = client.createAgent(admin, "leaky-bot", "batch", List.of("tickets:read"), List.of());
        plantedSecret = leaky.get("client_secret").asText();
        String leakyToken = client.login(leaky.get("client_id").asText(), plantedSecret).body().get("access_token").asText();
        BrokerClient.Response leak = client.postJson("/v1/leaks", null, List.of(Map.of("token", leakyToken,
                "type", "mayfly_access_token", "url", "https://paste.example/raw?config=" + plantedSecret,
                "source", "content")));
        assertThat(leak.status()).as(leak.raw()).isLessThan(300);
        // The API refuses a secret in an agent's name, so one is planted in the store, as a row written by a broker
        // that did not: served unredacted by /v1/agents to a bearer caller, it must never reach the console's page.
        broker.broker().db().inTransaction(c -> {
            new AgentStore().insert(c, new Agent("agt_planted0000000000000", "cid_planted0000000000000",
                    "pasted " + plantedSecret, AgentKind.INTERACTIVE, List.of("notes:read"), List.of(), "0".repeat(64),
                    broker.clock().instant(), null));
            return null;
        });
        assertThat(client.get("/v1/agents", admin).raw()).as("the plant is served where nothing redacts").contains(plantedSecret);
    }

    @AfterAll
    static void tearDown() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    @Order(1)
    void theOneTimeLinkSignsInAndTheSessionCountsDown() {
        signIn(newLinkPath());
        readSettled(() -> {
            WebElement card = waitFor(By.id("session-" + sessionId));
            assertThat(card.getAttribute("data-status")).isEqualTo("live");
            WebElement sessionBar = card.findElement(By.cssSelector(".row .countdown"));
            assertThat(Integer.parseInt(sessionBar.getAttribute("data-seconds-left"))).isGreaterThan(0);
            List<WebElement> tokens = card.findElements(By.cssSelector(".token"));
            assertThat(tokens).hasSize(2); // the session's token and the task's
            for (WebElement t : tokens) {
                assertThat(Integer.parseInt(t.findElement(By.cssSelector(".countdown")).getAttribute("data-seconds-left")))
                        .isGreaterThan(0);
            }
            assertThat(card.findElement(By.cssSelector(".tasks")).getText()).contains("weekly-report");
        });
    }

    @Test
    @Order(2)
    void everyViewRendersWithoutASecretAndIsPhotographed() throws IOException {
        SecretScanner scanner = SecretScanner.create();
        for (String view : VIEWS) {
            browser.get(client.base() + "/console/#" + view);
            waitFor(By.cssSelector("#view-" + view + "[data-loaded]"));
            Files.write(SHOTS.resolve(view + ".png"), browser.getScreenshotAs(OutputType.BYTES));
            String html = browser.getPageSource();
            List<Finding> found = scanner.scan(html, "console-" + view + ".html").findings();
            assertThat(found).as("secrets in the %s view", view).isEmpty();
            assertThat(html).doesNotContain(plantedSecret).doesNotContain(sessionToken).doesNotContain(taskToken);
        }
        browser.get(client.base() + "/console/#leaks");
        waitFor(By.id("leaks"));
        readSettled(() -> assertThat(browser.findElement(By.id("leaks")).getText()).contains("paste.example").contains("mfy_cs_"));
        browser.get(client.base() + "/console/#agents");
        By planted = By.cssSelector("tr[data-agent='agt_planted0000000000000']");
        waitFor(planted);
        readSettled(() -> assertThat(browser.findElement(planted).getText()).contains("pasted mfy_cs_*"));
        browser.get(client.base() + "/console/#audit");
        assertThat(waitFor(By.id("audit-verify")).getAttribute("data-valid")).isEqualTo("true");
        browser.get(client.base() + "/console/#policy");
        assertThat(waitFor(By.id("policy")).getText()).contains("*:admin").contains("critical");
    }

    @Test
    @Order(3)
    void aCookieBorneWriteWithoutTheCsrfTokenOrFromAnotherOriginIsRefused() throws Exception {
        String cookie = cookieHeader();
        String body = Json.write(Map.of("session_id", sessionId));
        HttpResponse<String> noCsrf = send(HttpRequest.newBuilder(URI.create(client.base() + "/v1/revocations"))
                .header("Cookie", cookie).header("Origin", client.base()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
        assertThat(noCsrf.statusCode()).isEqualTo(403);
        assertThat(Json.mapper().readTree(noCsrf.body()).at("/error/code").asText()).isEqualTo("PERMISSION_DENIED");
        HttpResponse<String> foreign = send(HttpRequest.newBuilder(URI.create(client.base() + "/v1/revocations"))
                .header("Cookie", cookie).header("Origin", "https://attacker.example").header("Content-Type", "application/json")
                .header("X-Mayfly-CSRF", browser.manage().getCookieNamed("mayfly_console_csrf").getValue())
                .POST(HttpRequest.BodyPublishers.ofString(body)));
        assertThat(foreign.statusCode()).isEqualTo(403);
        assertThat(client.get("/v1/whoami", sessionToken).status()).as("nothing was revoked").isEqualTo(200);
    }

    @Test
    @Order(4)
    void revokingTheSessionInThePageChangesItsRowAndTheTokenIsRefused() throws Exception {
        browser.get(client.base() + "/console/#sessions");
        waitFor(By.id("session-" + sessionId));
        readSettled(() -> browser.findElement(By.id("session-" + sessionId))
                .findElement(By.cssSelector("button[data-action='revoke-session']")).click());
        waitFor(By.id("confirm-ok")).click();
        settled().until(d ->
                !"live".equals(d.findElement(By.id("session-" + sessionId)).getAttribute("data-status")));
        WebElement after = browser.findElement(By.id("session-" + sessionId));
        assertThat(after.getAttribute("data-status")).isEqualTo("ended");
        assertThat(after.findElements(By.cssSelector(".token[data-revoked='true']"))).hasSize(2);
        assertThat(after.findElements(By.cssSelector("button[data-action='revoke-session']"))).isEmpty();
        BrokerClient.Response whoami = client.get("/v1/whoami", sessionToken);
        assertThat(whoami.status()).isEqualTo(401);
        assertThat(whoami.body().at("/error/code").asText()).isEqualTo("CREDENTIALS_REVOKED");
        assertThat(client.get("/v1/whoami", taskToken).body().at("/error/code").asText()).isEqualTo("CREDENTIALS_REVOKED");
        // The revocation is in the audit trail, attributed to the console session that made it.
        String consoleSession = consoleSessionId();
        JsonNode records = client.get("/v1/audit?event=revocation.created&limit=1000", admin).body().at("/data/records");
        assertThat(records.findValues("actor")).anySatisfy(actor ->
                assertThat(actor.path("session_id").asText()).isEqualTo(consoleSession));
    }

    @Test
    @Order(5)
    void revokingATaskAndDisablingAnAgentInThePageAreAuditedAsTheConsoleSession() throws Exception {
        JsonNode nightly = client.createAgent(admin, "nightly-sync", "interactive", List.of("sync:read"), List.of());
        String nightlySession = client.login(nightly.get("client_id").asText(), nightly.get("client_secret").asText())
                .body().get("access_token").asText();
        String syncToken = client.exchange(nightlySession, Map.of("scope", "sync:read", "task_id", "sync-7"))
                .body().get("access_token").asText();
        visit("/console/#sessions");
        By revokeTask = By.cssSelector("article[data-status='live'] .tasks button[data-action='revoke-task']");
        settled().until(d -> { // the task's own button, clicked in the same render it was found in
            WebElement button = d.findElement(revokeTask);
            if (!button.findElement(By.xpath("./..")).getText().contains("sync-7")) {
                return false;
            }
            button.click();
            return true;
        });
        waitFor(By.id("confirm-ok")).click();
        settled().until(d -> d.findElements(By.cssSelector(".task.revoked")).stream()
                .anyMatch(task -> task.getText().contains("sync-7")));
        assertThat(client.get("/v1/whoami", syncToken).body().at("/error/code").asText()).isEqualTo("CREDENTIALS_REVOKED");
        assertThat(client.get("/v1/whoami", nightlySession).status()).as("only the task").isEqualTo(200);

        visit("/console/#agents");
        String id = nightly.get("agent_id").asText();
        By disable = By.cssSelector("tr[data-agent='" + id + "'] button[data-action='disable-agent']");
        waitFor(disable);
        readSettled(() -> browser.findElement(disable).click());
        waitFor(By.id("confirm-ok")).click();
        settled().until(d ->
                d.findElement(By.cssSelector("tr[data-agent='" + id + "']")).getText().contains("disabled"));
        assertThat(client.get("/v1/whoami", nightlySession).body().at("/error/code").asText()).isEqualTo("CREDENTIALS_REVOKED");

        String consoleSession = consoleSessionId();
        JsonNode disabled = client.get("/v1/audit?event=agent.disabled&agent_id=" + id, admin).body().at("/data/records/0");
        assertThat(disabled.at("/actor/session_id").asText()).isEqualTo(consoleSession);
        JsonNode taskRevoked = client.get("/v1/audit?event=revocation.created&agent_id=" + id + "&task_id=sync-7", admin)
                .body().at("/data/records/0");
        assertThat(taskRevoked.at("/actor/session_id").asText()).isEqualTo(consoleSession);
    }

    @Test
    @Order(6)
    void theLinkWorksOnce() throws Exception {
        String path = newLinkPath();
        signIn(path);
        browser.manage().deleteAllCookies();
        visit(path);
        assertThat(waitForStatus()).contains("already used");
        assertThat(browser.findElements(By.id("login"))).hasSize(1);
        HttpResponse<String> replay = login(code(path));
        assertThat(replay.statusCode()).isEqualTo(401);
        assertThat(Json.mapper().readTree(replay.body()).at("/error/code").asText()).isEqualTo("CREDENTIALS_REVOKED");
    }

    @Test
    @Order(7)
    void aForgedCookieAndALoggedOutCookieAreRefused() throws Exception {
        signIn(newLinkPath());
        String token = browser.manage().getCookieNamed("mayfly_console").getValue();
        assertThat(browser.manage().getCookieNamed("mayfly_console").isHttpOnly()).isTrue();
        assertThat(browser.manage().getCookieNamed("mayfly_console").getSameSite()).isEqualTo("Strict");
        String forged = token.substring(0, token.length() - 4) + (token.endsWith("AAAA") ? "BBBB" : "AAAA");
        HttpResponse<String> withForged = sessionsWithCookie(forged);
        assertThat(withForged.statusCode()).isEqualTo(401);
        assertThat(Json.mapper().readTree(withForged.body()).at("/error/code").asText()).isEqualTo("CREDENTIALS_INVALID");
        assertThat(sessionsWithCookie(token).statusCode()).isEqualTo(200);

        waitFor(By.id("logout")).click();
        assertThat(waitForStatus()).contains("Signed out");
        HttpResponse<String> replayed = sessionsWithCookie(token);
        assertThat(replayed.statusCode()).isEqualTo(401);
        assertThat(Json.mapper().readTree(replayed.body()).at("/error/code").asText()).isEqualTo("CREDENTIALS_REVOKED");
    }

    @Test
    @Order(8)
    void theLinkIsRefusedAfterSixtySeconds() throws Exception {
        String path = newLinkPath();
        broker.clock().advance(Duration.ofSeconds(61));
        browser.manage().deleteAllCookies();
        visit(path);
        assertThat(waitForStatus()).contains("expired");
        HttpResponse<String> late = login(code(path));
        assertThat(late.statusCode()).isEqualTo(401);
        assertThat(Json.mapper().readTree(late.body()).at("/error/code").asText()).isEqualTo("CREDENTIALS_EXPIRED");
    }

    private static String newLinkPath() {
        BrokerClient.Response r = client.postJson("/v1/console/links", admin, Map.of());
        assertThat(r.status()).as(r.raw()).isEqualTo(201);
        return r.body().at("/data/path").asText();
    }

    private static void signIn(String path) {
        browser.manage().deleteAllCookies();
        visit(path);
        waitFor(By.cssSelector("#view-sessions[data-loaded]"));
        assertThat(browser.getCurrentUrl()).as("the code leaves the address bar").doesNotContain("code=");
        assertThat(browser.manage().getCookieNamed("mayfly_console")).isNotNull();
    }

    /** Loads the page afresh (from another document, so a new fragment is not just a same-page jump). */
    private static void visit(String path) {
        browser.get("about:blank");
        browser.get(client.base() + path);
    }

    private static String consoleSessionId() {
        String whoami = browser.findElement(By.id("whoami")).getText();
        return whoami.substring(whoami.indexOf("ses_")).trim();
    }

    private static String code(String path) {
        return path.substring(path.indexOf("#code=") + "#code=".length());
    }

    private static String cookieHeader() {
        Cookie token = browser.manage().getCookieNamed("mayfly_console");
        Cookie csrf = browser.manage().getCookieNamed("mayfly_console_csrf");
        return token.getName() + "=" + token.getValue() + "; " + csrf.getName() + "=" + csrf.getValue();
    }

    private static HttpResponse<String> sessionsWithCookie(String token) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(client.base() + "/console/api/sessions"))
                .header("Cookie", "mayfly_console=" + token).GET());
    }

    private static HttpResponse<String> login(String code) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(client.base() + "/console/api/login"))
                .header("Origin", client.base()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(Map.of("code", code)))));
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * A wait that reads the page as it re-renders: the console redraws its lists every few seconds, so an element
     * found a moment ago may be gone when read (stale); the condition is then simply tried again.
     */
    private static WebDriverWait settled() {
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(15));
        wait.ignoring(StaleElementReferenceException.class);
        return wait;
    }

    /** Runs {@code reads} against the page, again if the page re-rendered under it (a stale element); a failed assertion fails at once. */
    private static void readSettled(Runnable reads) {
        settled().until(d -> {
            reads.run();
            return true;
        });
    }

    private static WebElement waitFor(By by) {
        return new WebDriverWait(browser, Duration.ofSeconds(15)).until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    private static String waitForStatus() {
        settled().until(d -> !d.findElement(By.id("status")).getText().isBlank());
        return browser.findElement(By.id("status")).getText();
    }
}
