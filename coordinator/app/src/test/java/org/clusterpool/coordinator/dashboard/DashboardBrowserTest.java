package org.clusterpool.coordinator.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.logging.Level;
import org.clusterpool.coordinator.connect.ApiToken;
import org.clusterpool.coordinator.http.HttpApi;
import org.clusterpool.coordinator.http.HttpSettings;
import org.clusterpool.coordinator.members.LocalCluster;
import org.clusterpool.coordinator.testcluster.Await;
import org.clusterpool.node.launcher.JvmProcess;
import org.clusterpool.node.queue.DistributedQueue;
import org.clusterpool.node.task.ValueTypes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.logging.LogEntry;

/**
 * The dashboard in headless Chromium against a real local cluster (this JVM the coordinator with
 * the HTTP API and a token, two worker JVMs of two workers each), driven as a person does: logged
 * in by a login link, then watching a job run to 100 % on the task stream, cancelling one with its
 * button, and seeing a worker JVM killed with SIGKILL turn its node red while the job still
 * completes. A screenshot of each page goes to {@code target/dashboard/}. Skipped, saying why,
 * where Chromium or its driver is not installed.
 */
@Timeout(300)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TOKEN = ApiToken.random();
  private static final Duration JOB_WAIT = Duration.ofSeconds(120);

  private static LocalCluster cluster;
  private static HttpApi api;
  private static HeadlessChromium browser;
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  @BeforeAll
  static void start() {
    HeadlessChromium.assumeInstalled();
    cluster = LocalCluster.start(2, 2, Path.of("target", "test-logs", "dashboard-browser"));
    try {
      HttpSettings settings =
          HttpSettings.fromConfig(cluster.coordinator().system().settings().config());
      settings =
          settings.withAddress("127.0.0.1", 0).withAccess(settings.access().withToken(TOKEN));
      api =
          HttpApi.start(
              cluster.coordinator().system(), cluster.coordinator().coordinator(), settings);
      browser = HeadlessChromium.start(1000, 900);
    } catch (RuntimeException | Error e) {
      stop();
      throw e;
    }
  }

  @AfterAll
  static void stop() {
    try {
      if (browser != null) browser.close();
    } finally {
      try {
        if (api != null) api.close();
      } finally {
        if (cluster != null) cluster.close();
      }
    }
  }

  @Test
  @Order(1)
  void aLoginLinkOpensThePageWhichListsTheMembersAndTheirWorkersWithNoConsoleError() {
    HttpResponse<String> refused =
        send(
            HttpRequest.newBuilder(URI.create(api.url() + "/ui/"))
                .header("Accept", "text/html")
                .GET());
    assertEquals(401, refused.statusCode());
    assertTrue(
        refused.body().contains("cluster dashboard"),
        "without a login, a page that says how to get one: " + refused.body());

    browser.open(
        api.url() + "/ui/login?ticket=" + LoginTickets.make(TOKEN, System.currentTimeMillis()));
    browser.until("the page after the login", d -> d.getCurrentUrl().equals(api.url() + "/ui/"));
    browser.until(
        "the feed to be live", d -> d.findElement(By.id("connection")).getText().equals("live"));
    assertFalse(browser.driver().getPageSource().contains(TOKEN), "the token is never in the page");
    browser.until(
        "three members (the coordinator and two worker JVMs)",
        d -> browser.all(".member[data-address]").size() == 3);
    for (JvmProcess node : cluster.nodes()) {
      String member = ".member[data-address$=':" + port(node) + "']";
      browser.until(
          "the two workers of " + node,
          d -> browser.all(member + " .worker[data-name]").size() == 2);
    }
    assertTrue(browser.all(".member.down").isEmpty(), "no member is down yet");
    assertConsoleClean();
  }

  @Test
  @Order(2)
  void aJobOfTheApiRunsToAHundredPercentWithBarsOnTwoWorkers() throws Exception {
    String job =
        submit("{\"task\": \"test-slow-square\", \"inputs\": \"1..800\", \"chunksize\": 4}");
    browser.page("jobs");
    String row = "tr.job[data-id='" + job + "']";
    browser.until("the job's row", d -> !browser.all(row).isEmpty());
    browser.screenshot("jobs");
    browser.until(
        "the job's progress bar at 100 %",
        JOB_WAIT,
        d ->
            "100"
                .equals(
                    d.findElement(By.cssSelector(row + " .progress"))
                        .getAttribute("data-percent")));
    browser.until(
        "the job's state done",
        d -> d.findElement(By.cssSelector(row + " .state")).getText().equals("done"));
    assertEquals("done", await(job).path("state").asText());

    browser.all(row + " td").get(0).click();
    browser.until(
        "the first page of its results", d -> browser.all("#results-body tr").size() == 50);
    assertTrue(browser.all("#results-body tr").get(2).getText().contains("9"), "input 3's square");
    browser.driver().findElement(By.id("results-next")).click();
    browser.until(
        "the next page of its results, from result 50",
        d ->
            (Boolean)
                browser.script(
                    "const c = document.querySelector('#results-body tr td'); return !!c &&"
                        + " c.textContent === '50'"));
    assertTrue(
        browser.all("#results-body tr").get(0).getText().contains(String.valueOf(51L * 51L)),
        "input 51's square");

    browser.page("stream");
    browser.until(
        "bars of this job on at least two workers", d -> workersWithBars(job).size() >= 2);
    browser.screenshot("stream");
    browser.page("throughput");
    browser.until(
        "the chart drawn",
        d ->
            (Boolean)
                browser.script(
                    "return !!window.Chart &&"
                        + " !!window.Chart.getChart(document.getElementById('throughput-chart'))"));
    browser.screenshot("throughput");
    // a queue of the coordinator's JVM with three items in it, as a course's producer leaves it
    DistributedQueue<Long> queue =
        DistributedQueue.create(
            cluster.coordinator().system(), "dashboard-demo", ValueTypes.LONG, 10);
    try {
      for (long i = 1; i <= 3; i++) queue.put(i);
      browser.page("queues");
      browser.until(
          "the queue's row, three of ten",
          d ->
              (Boolean)
                  browser.script(
                      "const r = document.querySelector(\"tr.queue[data-name='dashboard-demo']\");"
                          + " return !!r && r.innerText.includes('3 / 10')"));
      browser.screenshot("queues");
    } finally {
      queue.close();
    }
    assertConsoleClean();
  }

  @Test
  @Order(3)
  void aFailedJobShowsItsErrorAndOnAClickTheWorkersStack() {
    String job =
        submit("{\"task\": \"test-fail-at\", \"inputs\": \"99990..100000\", \"chunksize\": 2}");
    JsonNode end = await(job);
    assertEquals("failed", end.path("state").asText(), end.toString());
    browser.page("jobs");
    String row = "tr.job[data-id='" + job + "']";
    browser.until(
        "its row failed",
        d -> d.findElement(By.cssSelector(row + " .state")).getText().equals("failed"));
    WebElement error =
        browser.until(
            "its error", d -> d.findElement(By.cssSelector(row + " button.error-toggle")));
    assertTrue(error.getText().contains("multiple of 100000"), error.getText());
    error.click();
    WebElement stack =
        browser.until(
            "its stack", d -> d.findElement(By.cssSelector(row + " + tr.job-detail pre.stack")));
    assertTrue(stack.getText().contains("FailAt"), "the worker's frames: " + stack.getText());
    browser.screenshot("jobs-error");
    error.click();
    browser.until("the stack closed again", d -> browser.all(row + " + tr.job-detail").isEmpty());
    assertConsoleClean();
  }

  @Test
  @Order(4)
  void theCancelButtonCancelsARunningJob() throws Exception {
    String job =
        submit("{\"task\": \"test-slow-square\", \"inputs\": \"1..100000\", \"chunksize\": 4}");
    browser.page("jobs");
    String button = "tr.job[data-id='" + job + "'] button.cancel";
    WebElement cancel =
        browser.until(
            "the job's cancel button", d -> browser.all(button).stream().findFirst().orElse(null));
    cancel.click();
    Await.until(
        "the API to say the job is cancelled",
        Duration.ofSeconds(30),
        () ->
            call("GET", "/jobs/" + job + "?limit=1", null)
                .path("state")
                .asText()
                .equals("cancelled"));
    browser.until(
        "its row to say cancelled",
        d ->
            d.findElement(By.cssSelector("tr.job[data-id='" + job + "'] .state"))
                .getText()
                .equals("cancelled"));
    assertTrue(browser.all(button).isEmpty(), "an ended job has no cancel button");
    assertConsoleClean();
  }

  @Test
  @Order(5)
  void aWorkerJvmKilledTurnsItsNodeRedAndTheJobStillCompletes() throws Exception {
    JvmProcess victim = cluster.nodes().get(0);
    String member = ".member[data-address$=':" + port(victim) + "']";
    browser.page("cluster");
    String job =
        submit("{\"task\": \"test-slow-square\", \"inputs\": \"1..1200\", \"chunksize\": 4}");
    Await.until(
        "chunks in flight on the JVM to be killed",
        Duration.ofSeconds(60),
        () ->
            cluster.status().workers().stream()
                .anyMatch(w -> w.info().pid() == victim.pid() && w.chunksInFlight() > 0));
    ProcessHandle.of(victim.pid()).ifPresent(ProcessHandle::destroyForcibly); // SIGKILL on Linux
    assertTrue(victim.waitFor(Duration.ofSeconds(10)), "the JVM died");

    // read in one script: the page draws its members again at each snapshot
    String border =
        browser.until(
            "the killed node drawn red",
            d ->
                (String)
                    browser.script(
                        "const m = document.querySelector(arguments[0]); return m ?"
                            + " getComputedStyle(m).borderTopColor : null;",
                        member + ".down"));
    assertTrue(border.matches("rgba?\\(192, 0, 26(, 1)?\\)"), "red: " + border);
    browser.until(
        "the cancel's notice gone, for a clean picture",
        d -> !d.findElement(By.id("notice")).isDisplayed());
    browser.screenshot("cluster-node-down");

    JsonNode end = await(job);
    assertEquals("done", end.path("state").asText(), end.toString());
    assertEquals(1200, end.path("done").asLong());
    JsonNode last = call("GET", "/jobs/" + job + "?from=1199&limit=1", null);
    assertEquals(1200L * 1200L, last.path("results").get(0).asLong(), "its last result is right");
    browser.screenshot("cluster");
    browser.page("stream");
    browser.until(
        "the chunks lost with the killed JVM drawn as re-runs on its lanes",
        d ->
            (Boolean)
                browser.script(
                    "return Array.from(document.querySelectorAll(\"svg#stream"
                        + " rect.span[data-outcome='rerun']\")).some(r => r.dataset.job ==="
                        + " arguments[0] && r.parentNode.dataset.node.endsWith(':' +"
                        + " arguments[1]))",
                    job,
                    port(victim)));
    browser.screenshot("stream-after-kill");
    assertConsoleClean();
  }

  private static Set<String> workersWithBars(String job) {
    // read in one script: the stream is drawn again ten times a second
    @SuppressWarnings("unchecked")
    List<String> workers =
        (List<String>)
            browser.script(
                "return Array.from(document.querySelectorAll('svg#stream rect.span')).filter(r =>"
                    + " r.dataset.job === arguments[0]).map(r => r.dataset.worker)",
                job);
    return Set.copyOf(workers);
  }

  private static String port(JvmProcess node) {
    return node.spec().args().get(1);
  }

  private static String submit(String body) {
    JsonNode created = call("POST", "/map", body);
    assertTrue(created.hasNonNull("job"), "submitted: " + created);
    return created.path("job").asText();
  }

  /** Waits (bounded) for the job to end, and gives its summary. */
  private static JsonNode await(String job) {
    JsonNode[] last = new JsonNode[1];
    Await.until(
        "job " + job + " to end",
        JOB_WAIT,
        () -> {
          last[0] = call("GET", "/jobs/" + job + "?limit=1", null);
          return !last[0].path("state").asText().equals("running");
        });
    return last[0];
  }

  private static JsonNode call(String method, String path, String body) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(api.url() + path))
            .header("Authorization", "Bearer " + TOKEN)
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    try {
      return JSON.readTree(send(request).body());
    } catch (IOException e) {
      throw new AssertionError(method + " " + path + ": not JSON: " + e, e);
    }
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return HTTP.send(
          request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AssertionError("HTTP call failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  private static void assertConsoleClean() {
    List<LogEntry> problems =
        browser.console().stream()
            .filter(e -> e.getLevel().intValue() >= Level.WARNING.intValue())
            .toList();
    assertTrue(problems.isEmpty(), "the browser's console: " + problems);
  }
}
