package io.orderflow.cli;

import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.logging.Level;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * The dashboard in Debian's headless Chromium, driven through its chromedriver (no browser is downloaded). Where
 * they are not installed the browser test is skipped, unless {@code ORDERFLOW_BROWSER_TESTS=required} (CI sets it,
 * after installing them) makes that a failure.
 */
final class DashboardBrowser implements AutoCloseable {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Duration WAIT = Duration.ofSeconds(90);

    private final ChromeDriver driver;
    private final Path profile;

    private DashboardBrowser(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    static DashboardBrowser open(String url) throws Exception {
        boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!installed && !"required".equals(System.getenv("ORDERFLOW_BROWSER_TESTS"))) {
            Assumptions.abort("Debian's chromium and chromium-driver are not installed; .ci/run installs them");
        }
        Path profile = Files.createTempDirectory("orderflow-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        // As root in a sandboxed machine with no network beyond loopback: no sandbox, no background connections.
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--window-size=1400,1500",
                "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        DashboardBrowser browser = new DashboardBrowser(new ChromeDriver(service, options), profile);
        browser.driver.get(url);
        return browser;
    }

    /** Waits until the page shows live data from the event stream; if it does not, says what the page showed. */
    void awaitLive() throws Exception {
        try {
            awaitShown("#connection[data-state='live']");
        } catch (ConditionTimeoutException e) {
            Path shot = Path.of("target", "dashboard-not-live.png");
            screenshot(shot);
            throw new AssertionError(
                    "the dashboard never showed live data; it showed '" + text("#connection")
                            + "' (screenshot " + shot.toAbsolutePath() + "); the browser's console: "
                            + driver.manage().logs().get(LogType.BROWSER).getAll(),
                    e);
        }
    }

    void awaitShown(String css) {
        await().atMost(WAIT)
                .ignoreExceptions()
                .until(() -> !driver.findElements(By.cssSelector(css)).isEmpty());
    }

    /** The first dead-letter row whose cells match, once there is one. */
    WebElement awaitDeadLetter(Predicate<List<String>> cells) {
        return await().atMost(WAIT)
                .ignoreExceptions()
                .until(() -> deadLetter(cells), Optional::isPresent)
                .orElseThrow();
    }

    Optional<WebElement> deadLetter(Predicate<List<String>> cells) {
        for (WebElement row : driver.findElements(By.cssSelector("#dead-letters tbody tr"))) {
            List<String> texts = row.findElements(By.tagName("td")).stream()
                    .map(WebElement::getText)
                    .toList();
            if (cells.test(texts)) {
                return Optional.of(row);
            }
        }
        return Optional.empty();
    }

    /** Clicks the replay button of a dead letter; the page is redrawn every refresh, so a stale row is found again. */
    void replay(String deadLetterId) {
        await().atMost(WAIT)
                .ignoreExceptions()
                .untilAsserted(() -> driver.findElement(By.cssSelector("button[data-replay='" + deadLetterId + "']"))
                        .click());
    }

    String text(String css) {
        return driver.findElement(By.cssSelector(css)).getText();
    }

    void screenshot(Path file) throws Exception {
        Files.createDirectories(file.getParent());
        Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
    }

    @Override
    public void close() throws Exception {
        driver.quit();
        try (var files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        }
    }
}
