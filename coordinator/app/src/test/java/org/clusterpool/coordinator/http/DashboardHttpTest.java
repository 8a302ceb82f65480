package org.clusterpool.coordinator.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.typed.ActorSystem;
import org.clusterpool.coordinator.dashboard.Dashboard;
import org.clusterpool.coordinator.dashboard.LoginTickets;
import org.clusterpool.coordinator.testcluster.SharedCluster;
import org.clusterpool.node.queue.DistributedQueue;
import org.clusterpool.node.task.ValueTypes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The dashboard's server side on a real cluster (one coordinator member, a worker JVM), through an
 * API of its own (so that its counters are this test's alone): the files from the jar with their
 * headers, the live feed with the contract's fields, shared between pages and stopped when they go,
 * {@code /metrics} as Prometheus text, and the login link and its cookie.
 */
@ExtendWith(SharedCluster.Extension.class)
@ExtendWith(LogCapturingExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class DashboardHttpTest {
  private static final Duration EVENT_WAIT = Duration.ofSeconds(20);

  /** {@code name{label="value",...} number}: a sample line of the text format 0.0.4. */
  private static final Pattern SAMPLE =
      Pattern.compile(
          "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{([a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n"
              + "]|\\\\[\\\\\"n])*\"(?:,[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n"
              + "]|\\\\[\\\\\"n])*\")*)?\\})?"
              + " (-?[0-9]+(?:\\.[0-9]+)?(?:[eE][+-]?[0-9]+)?|NaN|[+-]Inf)");

  private HttpApi api;
  private ActorSystem<?> system;

  /** Calls of {@link #metrics} since a test reset it: each may make a snapshot of its own. */
  private int countPolls;

  private URI url;
  private Http http;
  private Http anonymous;

  @BeforeAll
  void start(SharedCluster cluster) {
    api = SharedCluster.startApi(cluster.cluster(), SharedCluster.settings(cluster.cluster()));
    system = cluster.cluster().coordinator().system();
    url = URI.create(api.url());
    http = new Http(url, cluster.token());
    anonymous = new Http(url);
  }

  @AfterAll
  void stop() {
    if (api != null) api.close();
  }

  @Test
  void theFilesComeFromTheJarWithNoCacheAndTheContentSecurityPolicy() {
    Http.Response chart = raw(http, "/ui/assets/chart.umd.js");
    assertEquals(200, chart.status());
    assertTrue(
        chart
            .raw()
            .headers()
            .firstValue("Content-Type")
            .orElse("")
            .startsWith("application/javascript"));
    assertTrue(chart.raw().body().contains("Chart"), "Chart.js itself, from the webjar");
    Http.Response css = raw(http, "/ui/assets/route-fixture.css");
    assertEquals(200, css.status());
    assertTrue(css.raw().headers().firstValue("Content-Type").orElse("").startsWith("text/css"));
    for (Http.Response served : List.of(chart, css)) {
      assertEquals("no-cache", served.raw().headers().firstValue("Cache-Control").orElse(""));
      assertEquals(
          "default-src 'self'",
          served.raw().headers().firstValue("Content-Security-Policy").orElse(""));
    }
    assertEquals(404, raw(http, "/ui/assets/no-such.js").status());
    assertEquals(
        404,
        raw(http, "/ui/assets/..%2Fui%2Froute-fixture.css").status(),
        "no path out of the folder");
    Http.Response index = raw(http, "/ui/");
    boolean hasPage = getClass().getClassLoader().getResource("clusterpool/ui/index.html") != null;
    assertEquals(hasPage ? 200 : 404, index.status(), "the page when the jar has it");
    assertFalse(index.raw().body().contains(SharedCluster.TOKEN));
    assertEquals(
        401, raw(anonymous, "/ui/assets/chart.umd.js").status(), "the files want a login too");
  }

  @Test
  void theFeedSendsSnapshotsWithTheContractsFieldsAndTheApisJobs() throws Exception {
    try (EventStreamClient feed =
        new EventStreamClient(
            url.resolve("/ui/events"), "Authorization", "Bearer " + SharedCluster.TOKEN)) {
      assertEquals(200, feed.response.statusCode());
      assertTrue(
          feed.response
              .headers()
              .firstValue("Content-Type")
              .orElse("")
              .startsWith("text/event-stream"));
      JsonNode snapshot = feed.next(EVENT_WAIT);
      for (String field :
          List.of(
              "at",
              "mode",
              "self",
              "coordinator",
              "members",
              "workers",
              "jobs",
              "spans",
              "throughput",
              "queues",
              "pipes",
              "faults")) {
        assertTrue(snapshot.has(field), field + " in " + snapshot);
      }
      assertEquals("cluster", snapshot.path("mode").asText());
      assertTrue(snapshot.path("coordinator").path("answers").asBoolean(), snapshot.toString());
      assertTrue(snapshot.path("members").size() >= 2, "the coordinator member and the worker JVM");
      for (JsonNode member : snapshot.path("members")) {
        assertTrue(member.path("address").asText().startsWith("pekko://"), member.toString());
        assertTrue(
            member.path("roles").isArray()
                && member.has("status")
                && member.has("reachable")
                && member.has("pid"));
      }
      assertTrue(snapshot.path("workers").size() >= 1, snapshot.toString());
      JsonNode worker = snapshot.path("workers").get(0);
      for (String field :
          List.of(
              "name",
              "node",
              "pid",
              "chunks_done",
              "inputs_done",
              "chunks_in_flight",
              "async_in_flight",
              "capacity",
              "batches_out")) {
        assertTrue(worker.has(field), field + " in " + worker);
      }
      JsonNode spans = snapshot.path("spans");
      assertTrue(spans.isArray() && spans.size() <= 500, "at most 500 spans an event");
      // the job runs once the feed is open: its spans come as new ones, whatever the first event
      // (the last minute's newest 500 spans, of other tests' jobs too) carried
      Http.Response created =
          http.post("/map", "{\"task\": \"square\", \"inputs\": \"1..200\", \"chunksize\": 10}");
      assertEquals(201, created.status(), created.raw().body());
      String job = created.json().path("job").asText();
      http.awaitEnd(job);
      JsonNode row = null;
      JsonNode span = null;
      // a snapshot of the last 100 ms may be older than the job's end: a later one has it
      for (int i = 0;
          i < 20 && (row == null || !row.path("state").asText().equals("done") || span == null);
          i++) {
        JsonNode event = feed.next(EVENT_WAIT);
        JsonNode found = row(event, job);
        if (found != null) row = found;
        for (JsonNode one : event.path("spans"))
          if (one.path("job").asText().equals(job)) span = one;
      }
      assertNotNull(row, "the API's job in the events after it ran");
      assertEquals("api", row.path("source").asText());
      assertEquals("map", row.path("kind").asText());
      assertEquals("square", row.path("task").asText());
      assertEquals("done", row.path("state").asText());
      assertEquals(200, row.path("done").asLong());
      assertEquals(200, row.path("total").asLong());
      assertTrue(
          row.has("rate")
              && row.has("eta_seconds")
              && row.has("retries")
              && row.has("started")
              && row.has("error"));
      assertNotNull(span, "the events after the job carry its spans, under the API's id");
      for (String field :
          List.of("seq", "worker", "node", "task", "start", "end", "inputs", "outcome")) {
        assertTrue(span.has(field), field + " in " + span);
      }
      assertEquals("ok", span.path("outcome").asText());
      assertTrue(span.path("end").asLong() >= span.path("start").asLong(), span.toString());
      assertTrue(
          snapshot.path("throughput").has("total")
              && snapshot.path("throughput").path("jobs").isObject());
      assertTrue(snapshot.path("faults").has("units_retried"));
      long at = snapshot.path("at").asLong();
      long later = at;
      JsonNode next = snapshot;
      for (int i = 0; i < 3 && later == at; i++) {
        next = feed.next(EVENT_WAIT); // two events may carry one snapshot
        later = next.path("at").asLong();
        for (JsonNode again : next.path("spans")) {
          assertTrue(
              again.path("seq").asLong() > span.path("seq").asLong()
                  || !again.path("job").asText().equals(job),
              "a span is sent once on a connection: " + again);
        }
      }
      assertTrue(later > at, "a newer snapshot follows");
    }
  }

  @Test
  void aGatherOfTheApiShowsAsOneJobWithItsSpansNotAsJobsOfOtherClients() throws Exception {
    Http.Response created =
        http.post("/gather", "{\"calls\": [\"sleep:1\", \"sleep:1\", \"fib:20\"]}");
    assertEquals(201, created.status(), created.raw().body());
    String job = created.json().path("job").asText();
    try (EventStreamClient feed =
        new EventStreamClient(
            url.resolve("/ui/events"), "Authorization", "Bearer " + SharedCluster.TOKEN)) {
      boolean running = false;
      boolean listed = false;
      for (int i = 0;
          i < 6 && !running;
          i++) { // while its calls run, the coordinator has them as jobs of their own
        JsonNode snapshot = feed.next(EVENT_WAIT);
        JsonNode row = row(snapshot, job);
        // the first event may carry the shared snapshot made up to 100 ms before the gather was
        // submitted
        if (row == null && !listed && i < 2) continue;
        assertNotNull(row, "the gather in " + snapshot.path("jobs"));
        listed = true;
        running = row.path("state").asText().equals("running");
        for (JsonNode other : snapshot.path("jobs")) {
          assertEquals(
              "api",
              other.path("source").asText(),
              "a call of the gather is not a job of another client: " + other);
        }
      }
      assertTrue(running, "seen running");
      http.awaitEnd(job);
      boolean spans = false;
      for (int i = 0; i < 6 && !spans; i++) {
        for (JsonNode span : feed.next(EVENT_WAIT).path("spans"))
          spans |= span.path("job").asText().equals(job);
      }
      assertTrue(spans, "its calls' spans are under the gather's id");
    }
  }

  @Test
  void twoPagesShareSnapshotsAndAClosedPageCostsNothing() throws Exception {
    Map<String, Double> before = metrics();
    countPolls = 0;
    int each = 6;
    try (EventStreamClient one =
            new EventStreamClient(
                url.resolve("/ui/events"), "Authorization", "Bearer " + SharedCluster.TOKEN);
        EventStreamClient two =
            new EventStreamClient(
                url.resolve("/ui/events"), "Authorization", "Bearer " + SharedCluster.TOKEN)) {
      for (int i = 0; i < each; i++) {
        one.next(EVENT_WAIT);
        two.next(EVENT_WAIT);
      }
      assertEquals(2.0, metrics().get("clusterpool_dashboard_feeds"), "both pages are counted");
    }
    // the pages are gone: their streams end, and with them every tick
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    Map<String, Double> closed = metrics();
    while (closed.get("clusterpool_dashboard_feeds") > 0 && System.nanoTime() < deadline) {
      Thread.sleep(100);
      closed = metrics();
    }
    assertEquals(
        0.0, closed.get("clusterpool_dashboard_feeds"), "no feed open once both pages went");
    double events =
        closed.get("clusterpool_dashboard_events_total")
            - before.get("clusterpool_dashboard_events_total");
    double snapshots =
        closed.get("clusterpool_dashboard_snapshots_total")
            - before.get("clusterpool_dashboard_snapshots_total");
    assertTrue(events >= 2 * each, "events sent: " + events);
    // each /metrics makes one too (the polls above): the feed's own share is less than one per
    // event
    double polls = countPolls;
    assertTrue(
        snapshots - polls <= events * 0.75,
        "two pages share their snapshots: "
            + snapshots
            + " snapshots ("
            + polls
            + " for /metrics) for "
            + events
            + " events");
    Thread.sleep(2 * 500 + 500);
    Map<String, Double> later = metrics();
    assertEquals(
        closed.get("clusterpool_dashboard_events_total"),
        later.get("clusterpool_dashboard_events_total"),
        "no event is made for a page that is closed");
    assertEquals(
        1.0,
        later.get("clusterpool_dashboard_snapshots_total")
            - closed.get("clusterpool_dashboard_snapshots_total"),
        "nothing made a snapshot since but this /metrics");
  }

  @Test
  void theFeedAndTheMetricsListTheClustersQueuesWithWhatTheyHold() throws Exception {
    DistributedQueue<Long> queue =
        DistributedQueue.create(system, "dashboard-q", ValueTypes.LONG, 10);
    try {
      for (long i = 0; i < 3; i++) queue.put(i);
      try (EventStreamClient feed =
          new EventStreamClient(
              url.resolve("/ui/events"), "Authorization", "Bearer " + SharedCluster.TOKEN)) {
        JsonNode row = null;
        for (int i = 0; i < 5 && row == null; i++) {
          for (JsonNode q : feed.next(EVENT_WAIT).path("queues"))
            if (q.path("name").asText().equals("dashboard-q")) row = q;
        }
        assertNotNull(row, "the queue is listed");
        assertEquals(3, row.path("size").asInt());
        assertEquals(10, row.path("maxsize").asInt());
        assertEquals(3, row.path("accepted").asLong());
        assertEquals(system.address().toString(), row.path("node").asText());
        for (String field :
            List.of(
                "unacknowledged",
                "parked_puts",
                "parked_gets",
                "clients",
                "delivered",
                "redelivered",
                "closed")) {
          assertTrue(row.has(field), field + " in " + row);
        }
      }
      String metrics = raw(http, "/metrics").raw().body();
      assertTrue(
          metrics.contains(
              "clusterpool_queue_size{node=\""
                  + system.address()
                  + "\",queue=\"dashboard-q\"} 3\n"),
          metrics);
    } finally {
      queue.close();
    }
  }

  @Test
  void metricsAreThePrometheusTextFormatAndShowAJobsResults() {
    Http.Response created =
        http.post("/map", "{\"task\": \"square\", \"inputs\": \"1..300\", \"chunksize\": 20}");
    assertEquals(201, created.status(), created.raw().body());
    http.awaitEnd(created.json().path("job").asText());
    // a scrape reads the shared snapshot, which may be up to 100 ms older than the job's end: a
    // later one has it
    Http.Response response = raw(http, "/metrics");
    for (int i = 0;
        i < 50 && metricValue(response.raw().body(), "clusterpool_results_total") < 300;
        i++) {
      sleepQuietly(100);
      response = raw(http, "/metrics");
    }
    assertEquals(200, response.status());
    assertTrue(
        response
            .raw()
            .headers()
            .firstValue("Content-Type")
            .orElse("")
            .startsWith("text/plain; version=0.0.4"));
    Set<String> typed = new HashSet<>();
    Map<String, Double> samples = new HashMap<>();
    for (String line : response.raw().body().split("\n")) {
      if (line.startsWith("# HELP ")) continue;
      if (line.startsWith("# TYPE ")) {
        String[] parts = line.split(" ");
        assertEquals(4, parts.length, line);
        assertTrue(Set.of("counter", "gauge").contains(parts[3]), line);
        typed.add(parts[2]);
        continue;
      }
      Matcher sample = SAMPLE.matcher(line);
      assertTrue(sample.matches(), "a sample line: " + line);
      assertTrue(typed.contains(sample.group(1)), "TYPE before the samples of " + sample.group(1));
      samples.put(
          sample.group(1) + (sample.group(2) == null ? "" : sample.group(2)),
          Double.parseDouble(sample.group(4)));
    }
    assertTrue(
        samples.get("clusterpool_results_total") >= 300,
        "the job's results are counted: " + samples);
    assertTrue(samples.get("clusterpool_jobs{state=\"done\"}") >= 1, samples.toString());
    assertTrue(samples.get("clusterpool_workers") >= 1, samples.toString());
    assertTrue(samples.get("clusterpool_members{status=\"Up\"}") >= 2, samples.toString());
    assertEquals(1.0, samples.get("clusterpool_coordinator_up"));
    assertTrue(samples.containsKey("clusterpool_chunks_rerun_total"));
    assertEquals(
        401,
        raw(anonymous, "/metrics").status(),
        "the metrics want the token (a scraper sends it as a bearer token)");
  }

  @Test
  void aLoginLinkLogsInOnceAndItsCookieWorksOnGetsAndOnOtherMethodsOnlyWithTheHeader()
      throws Exception {
    String ticket = LoginTickets.make(SharedCluster.TOKEN, System.currentTimeMillis());
    Http.Response login = raw(anonymous, "/ui/login?ticket=" + ticket);
    assertEquals(303, login.status(), login.raw().body());
    assertEquals("/ui/", login.raw().headers().firstValue("Location").orElse(""));
    String setCookie = login.raw().headers().firstValue("Set-Cookie").orElse("");
    assertTrue(setCookie.startsWith("clusterpool_ui="), setCookie);
    assertTrue(
        setCookie.contains("HttpOnly")
            && setCookie.contains("SameSite=Strict")
            && setCookie.contains("Path=/"),
        setCookie);
    assertFalse(
        setCookie.contains(SharedCluster.TOKEN)
            || login.raw().body().contains(SharedCluster.TOKEN));
    String cookie = setCookie.substring(0, setCookie.indexOf(';'));

    assertEquals(
        401, raw(anonymous, "/ui/login?ticket=" + ticket).status(), "a ticket logs in once");

    Http.Response jobs = withCookie(cookie, "GET", "/jobs", false);
    assertEquals(200, jobs.status(), "the cookie works on a GET");
    Http.Response created = http.post("/map", "{\"task\": \"sleep\", \"inputs\": [30, 30]}");
    assertEquals(201, created.status(), created.raw().body());
    String job = created.json().path("job").asText();
    assertEquals(
        401,
        withCookie(cookie, "DELETE", "/jobs/" + job, false).status(),
        "no DELETE by cookie alone");
    assertEquals("running", http.get("/jobs/" + job).json().path("state").asText());
    Http.Response cancelled = withCookie(cookie, "DELETE", "/jobs/" + job, true);
    assertEquals(
        200,
        cancelled.status(),
        "DELETE with the cookie and the page's header: " + cancelled.raw().body());
    assertEquals("cancelled", http.awaitEnd(job).path("state").asText());

    HttpRequest.Builder foreign =
        HttpRequest.newBuilder(url.resolve("/jobs"))
            .header("Cookie", cookie)
            .header("Origin", "http://evil.example")
            .header(Dashboard.UI_HEADER, "1")
            .GET();
    assertEquals(
        403, anonymous.send(foreign).status(), "a page of another site is refused, cookie or not");

    try (EventStreamClient feed =
        new EventStreamClient(url.resolve("/ui/events"), "Cookie", cookie)) {
      assertEquals(200, feed.response.statusCode(), "the page's feed with the cookie");
      assertFalse(
          feed.next(EVENT_WAIT).toString().contains(SharedCluster.TOKEN), "no token in the feed");
    }
    assertEquals(
        401,
        withCookie("clusterpool_ui=forged", "GET", "/jobs", false).status(),
        "a session the API never opened");

    // the cookie reads and cancels, nothing else: running work wants the token, the page's header
    // or not
    HttpRequest.Builder post =
        HttpRequest.newBuilder(url.resolve("/map"))
            .header("Cookie", cookie)
            .header(Dashboard.UI_HEADER, "1")
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"task\": \"square\", \"inputs\": \"1..3\"}"));
    assertEquals(401, rawSend(anonymous, post).status(), "no work is run with the cookie");
    assertEquals(
        200,
        withCookie(cookie, "GET", "/jobs/" + job, false).status(),
        "a job's results, as the page pages them");
  }

  @Test
  void expiredForgedAndAlteredTicketsAreRefusedAndABrowserGetsAPageSayingHowToLogIn() {
    long now = System.currentTimeMillis();
    String expired =
        LoginTickets.make(SharedCluster.TOKEN, now - LoginTickets.VALID.toMillis() - 1000);
    String forged = LoginTickets.make("another-token-of-forty-characters-long-x", now);
    String fresh = LoginTickets.make(SharedCluster.TOKEN, now);
    String[] parts = fresh.split("\\.");
    String altered = parts[0] + "." + (Long.parseLong(parts[1]) + 3_600_000) + "." + parts[2];
    for (String ticket : List.of(expired, forged, altered, "junk", "")) {
      Http.Response refused = raw(anonymous, "/ui/login?ticket=" + ticket);
      assertEquals(401, refused.status(), ticket + ": " + refused.raw().body());
      assertFalse(refused.raw().headers().firstValue("Set-Cookie").isPresent(), ticket);
    }
    HttpRequest.Builder browser =
        HttpRequest.newBuilder(url.resolve("/ui/")).header("Accept", "text/html,*/*").GET();
    Http.Response page = rawSend(anonymous, browser);
    assertEquals(401, page.status());
    assertTrue(page.raw().headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
    assertTrue(
        page.raw().body().contains("cluster dashboard"),
        "it says how to get a link: " + page.raw().body());
    assertFalse(page.raw().body().contains(SharedCluster.TOKEN));
    assertEquals(
        303,
        raw(anonymous, "/ui/login?ticket=" + fresh).status(),
        "the refusals used up nothing: a fresh one works");
  }

  @Test
  void aLoginWithoutATicketIsABadRequestSayingWhatIsAccepted() throws Exception {
    Http.Response bare = raw(anonymous, "/ui/login");
    assertEquals(400, bare.status(), "not the guard's 401: " + bare.raw().body());
    String error = new ObjectMapper().readTree(bare.raw().body()).path("error").asText();
    assertTrue(error.contains("/ui/login?ticket=") && !error.contains("\n"), error);
    assertFalse(bare.raw().headers().firstValue("Set-Cookie").isPresent());
    assertEquals(
        401, raw(anonymous, "/ui/login?ticket=junk").status(), "a ticket is still checked");
  }

  // ---- helpers

  private static JsonNode row(JsonNode snapshot, String job) {
    for (JsonNode row : snapshot.path("jobs")) if (row.path("id").asText().equals(job)) return row;
    return null;
  }

  private Http.Response withCookie(String cookie, String method, String path, boolean uiHeader) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(url.resolve(path))
            .header("Cookie", cookie)
            .method(method, HttpRequest.BodyPublishers.noBody());
    if (uiHeader) request.header(Dashboard.UI_HEADER, "1");
    return rawSend(anonymous, request);
  }

  /** A GET whose body may not be JSON. */
  private Http.Response raw(Http client, String path) {
    return rawSend(client, HttpRequest.newBuilder(url.resolve(path)).GET());
  }

  private static Http.Response rawSend(Http client, HttpRequest.Builder request) {
    return client.sendRaw(request);
  }

  private Map<String, Double> metrics() {
    countPolls++;
    Http.Response response = raw(http, "/metrics");
    assertEquals(200, response.status());
    Map<String, Double> values = new HashMap<>();
    for (String line : response.raw().body().split("\n")) {
      if (line.startsWith("#") || line.isBlank()) continue;
      int space = line.lastIndexOf(' ');
      values.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
    }
    return values;
  }

  /** The value of an unlabelled sample in a scrape, or -1 when it has none. */
  private static double metricValue(String body, String name) {
    for (String line : body.split("\n")) {
      if (line.startsWith(name + " "))
        return Double.parseDouble(line.substring(name.length() + 1).strip());
    }
    return -1;
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
