package dev.mayfly.it.console;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless Chromium driven through its chromedriver, both from the system: Selenium is told exactly
 * where they are and to stay offline, so nothing is ever downloaded. Where they are missing, the test fails
 * on CI (where {@code .ci/run} installs them) and is skipped, saying why, elsewhere.
 */
final class Chromium {
    static final Path BROWSER = Path.of(System.getenv().getOrDefault("MAYFLY_CHROMIUM", "/usr/bin/chromium"));
    static final Path DRIVER = Path.of(System.getenv().getOrDefault("MAYFLY_CHROMEDRIVER", "/usr/bin/chromedriver"));

    private Chromium() {
    }

    /** A fresh headless browser; the caller quits it. */
    static ChromeDriver start() {
        requireInstalled();
        // Selenium Manager would fetch a browser or driver it cannot find: never, here.
        System.setProperty("SE_OFFLINE", "true");
        System.setProperty("webdriver.chrome.driver", DRIVER.toString());
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort()
                .withTimeout(Duration.ofSeconds(60))
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BROWSER.toFile());
        // --no-sandbox: CI runs as root, where Chromium's sandbox cannot start.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1400,1000", "--no-first-run", "--disable-extensions");
        return new ChromeDriver(service, options);
    }

    private static void requireInstalled() {
        boolean present = Files.isExecutable(BROWSER) && Files.isExecutable(DRIVER);
        if (present) {
            return;
        }
        String missing = "The console's browser test needs Debian's chromium and chromium-driver (" + BROWSER + ", " + DRIVER
                + "): apt-get install -y chromium chromium-driver";
        String ci = System.getenv("CI");
        if (ci != null && !ci.isBlank()) {
            throw new IllegalStateException(missing + " (CI is set, so this is a failure, not a skip)");
        }
        Assumptions.abort(missing + " (skipped because CI is not set)");
    }
}
