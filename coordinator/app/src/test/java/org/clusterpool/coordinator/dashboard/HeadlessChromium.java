package org.clusterpool.coordinator.dashboard;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven by its chromedriver, with a fresh profile of its own, for the
 * dashboard's browser tests. Nothing is downloaded: the browser and its driver are the packages
 * {@code chromium} and {@code chromium-driver} ({@code .ci/run} installs them); a machine without
 * them skips, saying so.
 */
final class HeadlessChromium implements AutoCloseable {
  static final Path BROWSER =
      Path.of(System.getProperty("clusterpool.test.chromium", "/usr/bin/chromium"));
  static final Path DRIVER =
      Path.of(System.getProperty("clusterpool.test.chromedriver", "/usr/bin/chromedriver"));

  /**
   * Every wait of these tests: long enough for a loaded machine, short enough that a page that
   * never comes fails.
   */
  static final Duration WAIT = Duration.ofSeconds(30);

  private final ChromeDriver driver;
  private final Path profile;

  private HeadlessChromium(ChromeDriver driver, Path profile) {
    this.driver = driver;
    this.profile = profile;
  }

  /**
   * Skips the calling test (JUnit assumption) when the browser or its driver is not installed here.
   */
  static void assumeInstalled() {
    assumeTrue(
        Files.isExecutable(BROWSER),
        "no Chromium at " + BROWSER + " (Debian: apt-get install chromium chromium-driver)");
    assumeTrue(
        Files.isExecutable(DRIVER),
        "no chromedriver at " + DRIVER + " (Debian: apt-get install chromium-driver)");
  }

  /** A browser of {@code width} x {@code height} CSS pixels, on a fresh profile. */
  static HeadlessChromium start(int width, int height) {
    assumeInstalled();
    Path profile;
    try {
      profile = Files.createTempDirectory("clusterpool-chromium");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(BROWSER.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox", // a CI container runs as root, where Chromium's sandbox refuses to start
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--no-first-run",
        "--disable-extensions",
        "--disable-background-networking",
        "--user-data-dir=" + profile,
        "--window-size=" + width + "," + height,
        "--force-device-scale-factor=1");
    options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, Level.ALL.getName()));
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(DRIVER.toFile())
            .usingAnyFreePort()
            .withLogFile(new File("target/dashboard/chromedriver.log"))
            .build();
    try {
      Files.createDirectories(Path.of("target", "dashboard"));
      ChromeDriver driver = new ChromeDriver(service, options);
      driver.manage().timeouts().pageLoadTimeout(WAIT).scriptTimeout(WAIT);
      return new HeadlessChromium(driver, profile);
    } catch (IOException e) {
      deleteQuietly(profile);
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      deleteQuietly(profile);
      throw e;
    }
  }

  WebDriver driver() {
    return driver;
  }

  void open(String url) {
    driver.get(url);
  }

  /** Waits (bounded) until {@code condition} gives something other than null or false. */
  <T> T until(String what, Function<WebDriver, T> condition) {
    return until(what, WAIT, condition);
  }

  /** The same within {@code limit}; an element drawn again while it was read is read again. */
  <T> T until(String what, Duration limit, Function<WebDriver, T> condition) {
    return new WebDriverWait(driver, limit)
        .withMessage(what)
        .ignoring(StaleElementReferenceException.class)
        .until(condition);
  }

  List<WebElement> all(String css) {
    return driver.findElements(By.cssSelector(css));
  }

  Object script(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
  }

  /**
   * Goes to a page of the dashboard by its navigation link, as a person does, and waits until it
   * shows.
   */
  void page(String name) {
    driver.findElement(By.cssSelector("nav a[data-page='" + name + "']")).click();
    until("the page " + name + " to show", d -> d.findElement(By.id("page-" + name)).isDisplayed());
  }

  /** The browser's console since the last call, errors and warnings included. */
  List<LogEntry> console() {
    return driver.manage().logs().get(LogType.BROWSER).getAll();
  }

  /** Writes what the browser shows to {@code target/dashboard/NAME.png}. */
  Path screenshot(String name) {
    Path file = Path.of("target", "dashboard", name + ".png");
    try {
      Files.createDirectories(file.getParent());
      Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      deleteQuietly(profile);
    }
  }

  private static void deleteQuietly(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a profile left in /tmp is no failure of the page
    }
  }
}
