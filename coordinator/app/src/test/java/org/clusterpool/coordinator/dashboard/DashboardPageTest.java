package org.clusterpool.coordinator.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.logging.LogEntry;

/**
 * The dashboard's page in headless Chromium against recorded snapshots of the feed (no cluster): it
 * draws each page of the contract's DOM from them, shows the strings of the feed as text (a task
 * name or a job error made of HTML stays text and runs nothing), says "reconnecting" when the feed
 * drops and "live" when it comes back, and calls the API with the header the cookie needs. The test
 * against a real cluster is {@link DashboardBrowserTest}.
 */
@Timeout(120)
class DashboardPageTest {
  static final String HOSTILE = "<img src=x onerror=\"window.pwned=1\" id=injected>";
  static final String COORDINATOR = "pekko://clusterpool@127.0.0.1:25520";
  static final String NODE_A = "pekko://clusterpool@127.0.0.1:25521";
  static final String NODE_B = "pekko://clusterpool@127.0.0.1:25522";

  private static HeadlessChromium browser;
  private static FeedReplayServer feed;

  @BeforeAll
  static void start() throws JsonProcessingException {
    HeadlessChromium.assumeInstalled();
    feed = FeedReplayServer.start(snapshot(false));
    browser = HeadlessChromium.start(1280, 900);
  }

  @AfterAll
  static void stop() {
    try {
      if (browser != null) browser.close();
    } finally {
      if (feed != null) feed.close();
    }
  }

  @BeforeEach
  void open() throws JsonProcessingException {
    feed.feedUp(true);
    feed.set(snapshot(false));
    browser.open(
        "about:blank"); // a URL that differs by its hash alone would not load the page again
    browser.open(feed.url("/ui/#cluster"));
    browser.until(
        "the feed to be live", d -> d.findElement(By.id("connection")).getText().equals("live"));
    browser.console(); // what came before this test is another test's
  }

  /**
   * Two worker nodes and the coordinator; node B unreachable when {@code bDown}; a job, spans, a
   * queue, a pipe.
   */
  static ObjectNode snapshot(boolean bDown) throws JsonProcessingException {
    ObjectNode s =
        (ObjectNode)
            FeedReplayServer.JSON.readTree(
                """
                {"at": 0, "mode": "cluster", "self": "%1$s",
                 "coordinator": {"node": "%1$s", "answers": true, "error": null},
                 "members": [
                   {"address": "%1$s", "roles": ["coordinator"], "status": "Up", "reachable": true, "pid": 100},
                   {"address": "%2$s", "roles": ["worker"], "status": "Up", "reachable": true, "pid": 101},
                   {"address": "%3$s", "roles": ["worker"], "status": "Up", "reachable": true, "pid": 102}],
                 "workers": [
                   {"name": "worker-1", "node": "%2$s", "pid": 101, "chunks_done": 10, "inputs_done": 100,
                    "chunks_in_flight": 2, "async_in_flight": 1, "capacity": 3, "batches_out": 2},
                   {"name": "worker-2", "node": "%3$s", "pid": 102, "chunks_done": 9, "inputs_done": 90,
                    "chunks_in_flight": 1, "async_in_flight": 0, "capacity": 3, "batches_out": 1}],
                 "jobs": [
                   {"id": "j-1", "kind": "map", "task": "square", "state": "running", "done": 40, "total": 100, "rate": 12.5,
                    "eta_seconds": 4.8, "retries": 1, "started": 0, "error": null, "source": "api"},
                   {"id": "j-2", "kind": "map", "task": "", "state": "failed", "done": 3, "total": 10, "rate": 0,
                    "eta_seconds": null, "retries": 0, "started": 0, "source": "api",
                    "error": {"type": "TaskFailedException", "message": "", "stack": "at Task.apply(Task.java:1)\\nat Worker.run"}},
                   {"id": "j-3", "kind": "map", "task": "cube", "state": "running", "done": 7, "total": null, "rate": 1,
                    "eta_seconds": null, "retries": 0, "started": 0, "error": null, "source": "client"}],
                 "spans": [],
                 "throughput": {"total": 12.5, "jobs": {"j-1": 12.5}},
                 "queues": [{"name": "", "node": "%2$s", "size": 3, "maxsize": 10, "unacknowledged": 0, "parked_puts": 1,
                             "parked_gets": 0, "clients": 2, "accepted": 50, "delivered": 47, "redelivered": 0, "closed": false}],
                 "pipes": [{"name": "p", "end": "a", "node": "%3$s", "direct": true, "buffered": 0, "sent": 10, "received": 9,
                            "blocked_sends": 0, "blocked_recvs": 1, "closed": false}],
                 "faults": {"late_results_dropped": 0, "lost_answers_recovered": 0, "units_retried": 1, "workers_lost": 0,
                            "jobs_failed_for_no_worker": 0}}
                """
                    .formatted(COORDINATOR, NODE_A, NODE_B));
    // user-controlled strings, made of HTML
    ((ObjectNode) s.get("jobs").get(1)).put("task", HOSTILE);
    ((ObjectNode) s.get("jobs").get(1).get("error")).put("message", HOSTILE);
    ((ObjectNode) s.get("queues").get(0)).put("name", HOSTILE);
    if (bDown) {
      ((ObjectNode) s.get("members").get(2)).put("reachable", false);
    }
    ArrayNode spans = s.putArray("spans");
    long now = System.currentTimeMillis();
    String[][] lanes = {
      {"worker-1", NODE_A, "ok"}, {"worker-2", NODE_B, "rerun"}, {"worker-1", NODE_A, "failed"}
    };
    for (int i = 0; i < lanes.length; i++) {
      spans
          .addObject()
          .put("seq", i + 1)
          .put("worker", lanes[i][0])
          .put("node", lanes[i][1])
          .put("job", "j-1")
          .put("task", HOSTILE)
          .put("start", now - 5000 + i * 1000)
          .put("end", now - 4500 + i * 1000)
          .put("inputs", 10)
          .put("outcome", lanes[i][2]);
    }
    return s;
  }

  @Test
  void everyPageDrawsTheContractsElementsFromTheFeed() {
    assertEquals(3, browser.all(".member[data-address]").size());
    assertEquals(
        1,
        browser.all(".member[data-address='" + NODE_A + "'] .worker[data-name='worker-1']").size());
    assertEquals(
        1,
        browser.all(".member[data-address='" + NODE_B + "'] .worker[data-name='worker-2']").size());
    assertTrue(browser.all(".member.down").isEmpty(), "every member is up");
    String worker1 =
        (String)
            browser.script(
                "return document.querySelector(\".worker[data-name='worker-1']\").innerText");
    assertTrue(
        worker1.contains("chunks in flight: 2")
            && worker1.contains("async calls: 1")
            && worker1.contains("credit: 1 of 3"),
        worker1);
    browser.screenshot("fixture-cluster");

    browser.page("jobs");
    assertEquals(
        "40", browser.all("tr.job[data-id='j-1'] .progress").get(0).getAttribute("data-percent"));
    assertEquals("running", browser.all("tr.job[data-id='j-1'] .state").get(0).getText());
    assertEquals(
        1,
        browser.all("tr.job[data-id='j-1'] button.cancel").size(),
        "a running job of the API can be cancelled");
    assertTrue(browser.all("tr.job[data-id='j-2'] button.cancel").isEmpty(), "an ended job cannot");
    assertTrue(
        browser.all("tr.job[data-id='j-3'] button.cancel").isEmpty(),
        "another client's job cannot");
    assertEquals(
        null,
        browser.all("tr.job[data-id='j-3'] .progress").get(0).getAttribute("data-percent"),
        "a job without a total has no percentage made up for it");

    browser.page("stream");
    browser.until("a bar per span", d -> browser.all("svg#stream rect.span").size() == 3);
    assertEquals(2, browser.all("svg#stream g.lane[data-worker]").size());
    assertEquals(
        1,
        browser
            .all("rect.span[data-worker='worker-2'][data-job='j-1'][data-outcome='rerun']")
            .size());
    assertEquals(1, browser.all("rect.span[data-outcome='failed']").size());
    assertEquals(
        1, browser.all("rect.mark-rerun").size(), "a re-run is hatched, not told by colour alone");

    browser.page("throughput");
    browser.until(
        "the chart drawn",
        d ->
            (Boolean)
                browser.script(
                    "return !!window.Chart &&"
                        + " !!window.Chart.getChart(document.getElementById('throughput-chart'))"));

    browser.page("queues");
    assertEquals(1, browser.all("tr.queue").size());
    assertEquals(HOSTILE, browser.all("tr.queue").get(0).getAttribute("data-name"));
    assertEquals(1, browser.all("tr.pipe[data-name='p'][data-end='a']").size());
    assertConsoleClean();
  }

  @Test
  void stringsOfTheFeedStayTextAndRunNothing() {
    browser.page("jobs");
    WebElement failed = browser.all("tr.job[data-id='j-2']").get(0);
    assertTrue(
        failed.getText().contains(HOSTILE),
        "the task name and the error show as written: " + failed.getText());
    failed.findElement(By.cssSelector("button.error-toggle")).click();
    WebElement stack =
        browser.until("the stack", d -> d.findElement(By.cssSelector("tr.job-detail pre.stack")));
    assertTrue(stack.getText().contains("at Task.apply(Task.java:1)"), stack.getText());
    browser.page("stream");
    browser.page("queues");
    assertTrue(
        browser.all("#injected, #injected-result, img").isEmpty(),
        "no element was made out of the feed's strings");
    assertEquals(null, browser.script("return window.pwned === undefined ? null : window.pwned"));
    assertConsoleClean();
  }

  @Test
  void anUnreachableNodeTurnsRedAndTheFeedsDropIsShown() throws JsonProcessingException {
    feed.set(snapshot(true));
    browser.until(
        "node B drawn down",
        d -> !browser.all(".member.down[data-address='" + NODE_B + "']").isEmpty());
    assertEquals(1, browser.all(".member.down").size(), "only the unreachable node is red");
    String border =
        (String)
            browser.script(
                "return getComputedStyle(document.querySelector('.member.down')).borderTopColor");
    assertTrue(border.matches("rgba?\\(192, 0, 26(, 1)?\\)"), "drawn red: " + border);

    feed.feedUp(false);
    browser.until(
        "the page to say it is reconnecting",
        d -> d.findElement(By.id("connection")).getText().equals("reconnecting"));
    browser.until(
        "the page to say the API does not answer, and how old its figures are",
        d -> {
          String banner = d.findElement(By.id("coordinator")).getText();
          return banner.contains("The API answers 503") && banner.contains("s ago");
        });
    feed.feedUp(true);
    browser.until(
        "the page to be live again",
        d -> d.findElement(By.id("connection")).getText().equals("live"));
    browser.until("the band gone", d -> !d.findElement(By.id("coordinator")).isDisplayed());
  }

  @Test
  void aCoordinatorThatDoesNotAnswerIsSaidAndItsUnknownFiguresAreDashesNotZeros()
      throws JsonProcessingException {
    ObjectNode silent = snapshot(false);
    ((ObjectNode) silent.get("coordinator"))
        .put("answers", false)
        .put("error", "the coordinator did not answer within 2 s");
    silent.putArray("workers");
    ObjectNode faults = (ObjectNode) silent.get("faults");
    for (String name :
        List.of(
            "late_results_dropped",
            "lost_answers_recovered",
            "units_retried",
            "workers_lost",
            "jobs_failed_for_no_worker")) {
      faults.putNull(name);
    }
    feed.set(silent);
    browser.until(
        "the band saying so",
        d ->
            d.findElement(By.id("coordinator"))
                .getText()
                .contains(
                    "The coordinator does not answer (127.0.0.1:25520): the coordinator did not"
                        + " answer within 2 s"));
    assertEquals(
        "live",
        browser.driver().findElement(By.id("connection")).getText(),
        "the feed itself still comes");
    @SuppressWarnings("unchecked")
    List<String> figures =
        (List<String>)
            browser.script(
                "return Array.from(document.querySelectorAll('#faults dd')).map(d =>"
                    + " d.textContent)");
    assertEquals(
        List.of("\u2014", "\u2014", "\u2014", "\u2014", "\u2014"),
        figures,
        "unknown counters are not shown as 0");
  }

  @Test
  void aBrowserWhoseSessionEndedIsToldHowToLogInAgain() {
    feed.loggedOut();
    browser.until(
        "the page to say how to log in again",
        d ->
            d.findElement(By.id("coordinator"))
                .getText()
                .contains(
                    "not logged in to this API (any more): open a new login link, made by"
                        + " bin/clusterpool cluster dashboard"));
    assertEquals("reconnecting", browser.driver().findElement(By.id("connection")).getText());
  }

  @Test
  void theCancelButtonAndTheResultsCallTheApiWithTheDashboardsHeader() {
    browser.page("jobs");
    browser.all("tr.job[data-id='j-1'] button.cancel").get(0).click();
    browser.until(
        "the DELETE", d -> feed.calls().stream().anyMatch(c -> c.method().equals("DELETE")));
    FeedReplayServer.Call cancel =
        feed.calls().stream().filter(c -> c.method().equals("DELETE")).findFirst().orElseThrow();
    assertEquals("/jobs/j-1", cancel.path());
    assertEquals("1", cancel.uiHeader());

    browser.all("tr.job[data-id='j-1'] td").get(0).click();
    browser.until("a page of results", d -> browser.all("#results-body tr").size() == 3);
    assertTrue(
        feed.calls().stream()
            .anyMatch(
                c -> c.method().equals("GET") && c.path().equals("/jobs/j-1?from=0&limit=50")),
        feed.calls().toString());
    assertTrue(browser.all("#injected-result").isEmpty());
    assertConsoleClean();
  }

  private static void assertConsoleClean() {
    List<LogEntry> problems =
        browser.console().stream()
            .filter(e -> e.getLevel().intValue() >= Level.WARNING.intValue())
            .toList();
    assertTrue(problems.isEmpty(), "the browser's console: " + problems);
  }
}
