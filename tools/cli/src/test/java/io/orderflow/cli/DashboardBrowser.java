package io.orderflow.cli;

import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
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
 *
 * <p>The dashboard is for operators who have signed in at the issuer: opening it leads to the issuer's login form,
 * which {@link #login(String, String)} fills in ({@link #open(String, String, String)} does both).
 */
final class DashboardBrowser implements AutoCloseable {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Duration WAIT = Duration.ofSeconds(90);

    private final ChromeDriver driver;
    private final Path profile;
    private final String url;

    private DashboardBrowser(ChromeDriver driver, Path profile, String url) {
        this.driver = driver;
        this.profile = profile;
        this.url = url;
    }

    /** Opens the dashboard and signs in as {@code username}: {@link #open(String)}, then {@link #login}. */
    static DashboardBrowser open(String url, String username, String password) throws Exception {
        DashboardBrowser browser = open(url);
        try {
            browser.login(username, password);
            return browser;
        } catch (RuntimeException | Error e) {
            browser.close();
            throw e;
        }
    }

    /** Opens the dashboard at {@code url}, which, for a browser not signed in, leads to the issuer's login form. */
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
        DashboardBrowser browser = new DashboardBrowser(new ChromeDriver(service, options), profile, url);
        browser.driver.get(url);
        return browser;
    }

    /**
     * Signs in as {@code username} on the login form the browser has been sent to (Spring Security's, at the issuer:
     * fields {@code username} and {@code password}, a submit button), and waits until it is back on the dashboard's
     * page. A browser already on the dashboard (signed in before) only waits for it.
     *
     * @throws AssertionError when the issuer refuses the password, or the dashboard the user (it is for operators),
     *                        with what the browser shows instead
     */
    void login(String username, String password) {
        try {
            await().atMost(WAIT).ignoreExceptions().until(() -> onLoginForm() || onDashboard());
        } catch (ConditionTimeoutException e) {
            throw notThere("neither a login form nor the dashboard", e);
        }
        if (onDashboard()) {
            return;
        }
        WebElement name = driver.findElement(By.name("username"));
        name.clear();
        name.sendKeys(username);
        WebElement secret = driver.findElement(By.name("password"));
        secret.clear();
        secret.sendKeys(password);
        driver.findElement(By.cssSelector("button[type='submit'], input[type='submit']"))
                .click();
        try {
            await().atMost(WAIT).ignoreExceptions().until(() -> onDashboard() || refused());
        } catch (ConditionTimeoutException e) {
            throw notThere("the dashboard after signing in as " + username, e);
        }
        if (!onDashboard()) {
            throw notThere("the dashboard after signing in as " + username, null);
        }
    }

    /** On the dashboard's own page, as an operator sees it. */
    private boolean onDashboard() {
        return onDashboardsSite() && !driver.findElements(By.id("connection")).isEmpty();
    }

    /** At the dashboard's origin: a prefix would not do, as the issuer's port may begin with the dashboard's. */
    private boolean onDashboardsSite() {
        URI at = URI.create(driver.getCurrentUrl());
        URI dashboard = URI.create(url);
        return Objects.equals(at.getHost(), dashboard.getHost()) && at.getPort() == dashboard.getPort();
    }

    private boolean onLoginForm() {
        return !driver.findElements(By.name("username")).isEmpty()
                && !driver.findElements(By.name("password")).isEmpty();
    }

    /** The issuer's form again with its error, or the dashboard's page refusing a user who is not an operator. */
    private boolean refused() {
        String at = driver.getCurrentUrl();
        return (at.contains("/login") && at.contains("error"))
                || (onDashboardsSite()
                        && driver.findElements(By.id("connection")).isEmpty()
                        && !driver.findElements(By.tagName("h1")).isEmpty());
    }

    private AssertionError notThere(String expected, Throwable cause) {
        return new AssertionError(
                "expected " + expected + ", but the browser is at " + driver.getCurrentUrl() + " showing '"
                        + driver.findElement(By.tagName("body")).getText().replaceAll("\\s+", " ")
                        + "'",
                cause);
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

    /** An attribute of an element; the page is redrawn every refresh, so a stale element is found again. */
    String attribute(String css, String name) {
        return await().atMost(WAIT)
                .ignoreExceptions()
                .until(() -> driver.findElement(By.cssSelector(css)).getAttribute(name), Objects::nonNull);
    }

    /** Whether the page has an element that matches, now. */
    boolean present(String css) {
        return !driver.findElements(By.cssSelector(css)).isEmpty();
    }

    /** Follows a link of the page in the same tab. */
    void follow(String css) {
        driver.findElement(By.cssSelector(css)).click();
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
