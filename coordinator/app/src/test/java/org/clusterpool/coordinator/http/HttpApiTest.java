package org.clusterpool.coordinator.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.LongStream;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.clusterpool.coordinator.cli.Main;
import org.clusterpool.coordinator.testcluster.SharedCluster;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The HTTP API end to end, over real HTTP, against a real cluster: this JVM coordinates, a worker
 * JVM computes.
 */
@ExtendWith(SharedCluster.Extension.class)
@ExtendWith(LogCapturingExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(90)
class HttpApiTest {
  private SharedCluster shared;
  private Http http;

  @BeforeAll
  void start(SharedCluster cluster) {
    this.shared = cluster;
    this.http = new Http(cluster.url(), cluster.token());
  }

  private String submit(String path, String body) {
    Http.Response created = http.post(path, body);
    assertEquals(201, created.status(), created.raw().body());
    return created.json().path("job").asText();
  }

  private static List<Long> longs(JsonNode results) {
    List<Long> out = new ArrayList<>();
    results.forEach(r -> out.add(r.asLong()));
    return out;
  }

  private static List<Long> squares(long first, long last) {
    return LongStream.rangeClosed(first, last).map(x -> x * x).boxed().toList();
  }

  @Test
  void mapRunsOnTheWorkersAndKeepsTheResultsInInputOrder() {
    Http.Response created =
        http.post("/map", "{\"task\": \"square\", \"inputs\": \"1..100\", \"chunksize\": 7}");
    assertEquals(201, created.status(), created.raw().body());
    String job = created.json().path("job").asText();
    assertEquals("/jobs/" + job, created.raw().headers().firstValue("Location").orElseThrow());
    assertEquals(100, created.json().path("total").asLong());
    assertEquals(7, created.json().path("chunksize").asInt());
    assertEquals(2, created.json().path("workers").asInt(), "the worker JVM's two workers");

    JsonNode done = http.awaitEnd(job);
    assertEquals("done", done.path("state").asText(), done.toString());
    assertEquals(100, done.path("done").asLong());
    assertEquals(squares(1, 100), longs(done.path("results")));
    assertFalse(done.has("next"), "an ended job's last page has no next page");
  }

  @Test
  void resultsArePagedWithFromAndLimit() {
    String job = submit("/map", "{\"task\": \"square\", \"inputs\": \"1..100\"}");
    http.awaitEnd(job);
    JsonNode page = http.get("/jobs/" + job + "?from=50&limit=10").json();
    assertEquals(50, page.path("from").asInt());
    assertEquals(squares(51, 60), longs(page.path("results")));
    assertEquals(60, page.path("next").asInt());
    JsonNode last = http.get("/jobs/" + job + "?from=95").json();
    assertEquals(squares(96, 100), longs(last.path("results")));
    assertFalse(last.has("next"));
    assertEquals(400, http.get("/jobs/" + job + "?limit=0").status());
  }

  @Test
  void inputsAreReadAsTheCommandLineReadsThemOrAsJsonValues() {
    String tokens =
        submit(
            "/map", "{\"task\": \"square\", \"inputs\": [3, \"1,2\", \"5..6\"], \"chunksize\": 1}");
    assertEquals(List.of(9L, 1L, 4L, 25L, 36L), longs(http.awaitEnd(tokens).path("results")));
    String tuples =
        submit(
            "/map", "{\"task\": \"pow\", \"inputs\": [{\"base\": 2, \"exponent\": 10}, \"3,4\"]}");
    assertEquals(List.of(1024L, 81L), longs(http.awaitEnd(tuples).path("results")));
    String text = submit("/map", "{\"task\": \"sha256\", \"inputs\": \"1 2\"}");
    assertEquals(2, http.awaitEnd(text).path("results").size());
  }

  @Test
  void tasksRunInTheWorkerJvmNotHere() {
    String job = submit("/map", "{\"task\": \"whoami\", \"inputs\": \"1..6\", \"chunksize\": 1}");
    JsonNode done = http.awaitEnd(job);
    assertEquals(6, done.path("results").size());
    for (JsonNode answer : done.path("results")) {
      assertEquals(shared.workerPid(), answer.path("pid").asLong(), answer.toString());
      assertNotEquals(ProcessHandle.current().pid(), answer.path("pid").asLong());
    }
  }

  @Test
  void unorderedResultsComeAsTheyComplete() {
    String job =
        submit(
            "/map",
            "{\"task\": \"square\", \"inputs\": \"1..50\", \"ordered\": false, \"chunksize\": 5}");
    JsonNode done = http.awaitEnd(job);
    assertFalse(done.path("ordered").asBoolean());
    List<Long> results = new ArrayList<>(longs(done.path("results")));
    results.sort(null);
    assertEquals(squares(1, 50), results);
  }

  @Test
  void aFailingInputEndsTheJobWithTheTaskTheInputAndTheWorker() {
    String job =
        submit("/map", "{\"task\": \"square\", \"inputs\": [2, 3037000500], \"chunksize\": 1}");
    JsonNode failed = http.awaitEnd(job);
    assertEquals("failed", failed.path("state").asText());
    JsonNode error = failed.path("error");
    assertEquals("square", error.path("task").asText());
    assertEquals("3037000500", error.path("input").asText());
    assertEquals(1, error.path("position").asInt());
    assertEquals("java.lang.ArithmeticException", error.path("type").asText());
    assertEquals("long overflow", error.path("message").asText());
    assertTrue(
        error.path("worker").asText().contains("(pid " + shared.workerPid() + ")"),
        error.toString());
    assertTrue(error.path("stack").size() > 0);
    assertTrue(
        error
            .path("summary")
            .asText()
            .startsWith(
                "task 'square' failed on input 3037000500 (position 1): ArithmeticException: long"
                    + " overflow"));
    assertEquals(List.of(4L), longs(failed.path("results")), "the results before the failure stay");
  }

  /**
   * The same mistake, on the command line and in a request body: the API answers 400 with the line
   * the CLI prints.
   */
  static List<Arguments> badRequests() {
    return List.of(
        Arguments.of("/map", "{\"task\": \"fib\", \"inputs\": [99]}", List.of("map", "fib", "99")),
        Arguments.of(
            "/map", "{\"task\": \"fib\", \"inputs\": \"1..60\"}", List.of("map", "fib", "1..60")),
        Arguments.of(
            "/map", "{\"task\": \"square\", \"inputs\": \"x\"}", List.of("map", "square", "x")),
        Arguments.of(
            "/map",
            "{\"task\": \"square\", \"inputs\": \"9..1\"}",
            List.of("map", "square", "9..1")),
        Arguments.of(
            "/map", "{\"task\": \"carre\", \"inputs\": \"1\"}", List.of("map", "carre", "1")),
        Arguments.of("/map", "{\"task\": \"square\", \"inputs\": []}", List.of("map", "square")),
        Arguments.of(
            "/map", "{\"task\": \"sleep\", \"inputs\": [-1]}", List.of("map", "sleep", "-1")),
        Arguments.of(
            "/map",
            "{\"task\": \"pow\", \"inputs\": [\"2,99\"]}",
            List.of("starmap", "pow", "2,99")),
        Arguments.of("/gather", "{\"calls\": [\"sleep\"]}", List.of("gather", "sleep")),
        Arguments.of("/gather", "{\"calls\": [\"nope:1\"]}", List.of("gather", "nope:1")),
        Arguments.of("/gather", "{\"calls\": [\"sleep:x\"]}", List.of("gather", "sleep:x")));
  }

  @ParameterizedTest
  @MethodSource("badRequests")
  void badInputGetsTheCommandLinesOwnMessage(String path, String body, List<String> commandLine) {
    StringWriter err = new StringWriter();
    int code =
        Main.run(
            commandLine.toArray(String[]::new),
            new PrintWriter(new StringWriter()),
            new PrintWriter(err, true));
    assertEquals(2, code, err.toString());
    String cliLine = err.toString().strip().replaceFirst("^clusterpool: ", "");

    Http.Response refused = http.post(path, body);
    assertEquals(400, refused.status(), refused.raw().body());
    assertEquals(cliLine, refused.error());
  }

  @Test
  void aRecordInputMustHaveEveryFieldOnceOfItsType() {
    for (String input :
        List.of(
            "{\"base\": 2}",
            "{\"base\": 2.5, \"exponent\": 3}",
            "{\"base\": null, \"exponent\": 3}",
            "{\"base\": 2, \"exponent\": 3, \"base\": 5}")) {
      Http.Response refused = http.post("/map", "{\"task\": \"pow\", \"inputs\": [" + input + "]}");
      assertEquals(400, refused.status(), input + ": " + refused.raw().body());
      assertTrue(
          refused.error().contains("'base'") || refused.error().contains("'exponent'"),
          refused.error());
    }
  }

  @Test
  void malformedRequestsAreRefusedInOneLine() {
    Http.Response notJson = http.post("/map", "task=square");
    assertEquals(400, notJson.status());
    assertTrue(notJson.error().startsWith("the request body is not JSON: "), notJson.error());
    assertFalse(notJson.error().contains("\n"));

    Http.Response unknownField =
        http.post("/map", "{\"task\": \"square\", \"inputs\": \"1\", \"bogus\": 1}");
    assertEquals(400, unknownField.status());
    assertEquals(
        "unknown field 'bogus': accepted abandoned_after, chunksize, fingerprint, inputs, ordered,"
            + " task",
        unknownField.error());

    Http.Response file = http.post("/map", "{\"task\": \"square\", \"inputs\": \"@/etc/passwd\"}");
    assertEquals(400, file.status());
    assertTrue(file.error().contains("the HTTP API reads neither"), file.error());

    assertEquals(
        400,
        http.post("/map", "{\"task\": \"square\", \"inputs\": \"1\", \"chunksize\": 0}").status());
    assertEquals(
        400,
        http.post(
                "/gather",
                "{\"calls\": [\"sleep:1\"], \"task_group\": true, \"return_exceptions\": true}")
            .status());
    assertEquals(
        400, http.post("/gather", "{\"calls\": [\"sleep:1\"], \"timeout\": \"soon\"}").status());

    Http.Response noJob = http.get("/jobs/nope-1");
    assertEquals(404, noJob.status());
    assertTrue(noJob.error().startsWith("no job 'nope-1' here"), noJob.error());
    assertEquals(404, http.delete("/jobs/nope-1").status());
    Http.Response noRoute = http.get("/nope");
    assertEquals(404, noRoute.status());
    assertEquals("no route GET /nope: GET / lists the routes", noRoute.error());
    Http.Response wrongMethod = http.send("PUT", "/map");
    assertEquals(405, wrongMethod.status());
    assertTrue(wrongMethod.error().contains("accepted POST /map"), wrongMethod.error());
  }

  @Test
  void tooLargeIsRefusedWith413() {
    HttpSettings base = SharedCluster.settings(shared.cluster());
    HttpSettings small =
        base.withJobLimits(1000, base.maxResultBytes(), base.maxKeptJobs(), base.maxRunningJobs())
            .withMessageLimits(4096, base.maxPageBytes(), base.maxLineBytes());
    try (HttpApi api = SharedCluster.startApi(shared.cluster(), small)) {
      Http limited = Http.of(api);
      Http.Response range = limited.post("/map", "{\"task\": \"square\", \"inputs\": \"1..5000\"}");
      assertEquals(413, range.status(), range.raw().body());
      assertTrue(range.error().contains("clusterpool.http.max-results"), range.error());
      // more values than a long counts: the same limit, not the one of a job's positions
      Http.Response whole =
          limited.post(
              "/map",
              "{\"task\": \"square\", \"inputs\":"
                  + " \"-9223372036854775808..9223372036854775807\"}");
      assertEquals(413, whole.status(), whole.raw().body());
      assertTrue(
          whole.error().contains("has 18446744073709551616 inputs")
              && whole.error().contains("clusterpool.http.max-results"),
          whole.error());
      Http.Response chunks =
          limited.post(
              "/map",
              "{\"task\": \"square\", \"inputs\": \"1..10\", \"chunksize\": 9223372036854775807}");
      assertEquals(400, chunks.status(), chunks.raw().body());
      assertTrue(chunks.error().contains("\"chunksize\" is too large"), chunks.error());
      Http.Response negative =
          limited.post(
              "/map", "{\"task\": \"square\", \"inputs\": \"1..10\", \"chunksize\": -4294967295}");
      assertEquals(400, negative.status(), "not its low 32 bits, 1: " + negative.raw().body());
      assertTrue(negative.error().contains("must be at least 1"), negative.error());

      StringBuilder many = new StringBuilder("{\"task\": \"square\", \"inputs\": [1");
      for (int i = 2; i <= 1500; i++) many.append(", ").append(i);
      Http.Response body = limited.post("/map", many.append("]}").toString());
      assertEquals(413, body.status(), body.raw().body());
      assertTrue(body.error().contains("clusterpool.http.max-body"), body.error());

      Http.Response calls = limited.post("/map", "{\"task\": \"square\", \"inputs\": \"1..10\"}");
      assertEquals(201, calls.status(), "a job within the limits runs");
    }
  }

  @Test
  void aFullApiRefusesWith503() {
    HttpSettings base = SharedCluster.settings(shared.cluster());
    HttpSettings one =
        base.withJobLimits(base.maxResults(), base.maxResultBytes(), base.maxKeptJobs(), 1);
    try (HttpApi api = SharedCluster.startApi(shared.cluster(), one)) {
      Http single = Http.of(api);
      Http.Response first = single.post("/gather", "{\"calls\": [\"sleep:30\"]}");
      assertEquals(201, first.status());
      Http.Response second = single.post("/gather", "{\"calls\": [\"sleep:30\"]}");
      assertEquals(503, second.status());
      assertTrue(second.error().contains("clusterpool.http.max-running-jobs"), second.error());
      assertEquals(
          List.of("1"),
          second.raw().headers().allValues("Retry-After"),
          "a client that retries is told when");
      assertEquals(200, single.delete("/jobs/" + first.json().path("job").asText()).status());
    }
  }

  @Test
  void cancelStopsTheJobDownToItsCallsOnTheWorkers() {
    String job = submit("/gather", "{\"calls\": [\"sleep:30\", \"sleep:30\", \"sleep:30\"]}");
    http.await("/cluster", c -> asyncInFlight(c) >= 3, Duration.ofSeconds(20));

    Http.Response cancelled = http.delete("/jobs/" + job);
    assertEquals(200, cancelled.status());
    assertEquals("cancelled", cancelled.json().path("state").asText());
    JsonNode after = http.get("/jobs/" + job).json();
    assertEquals("cancelled", after.path("state").asText());
    assertEquals("CancellationException", after.path("error").path("kind").asText());
    assertEquals("cancelled: by DELETE /jobs/" + job, after.path("error").path("summary").asText());
    assertOneOutcomeEach(after, 3, "cancelled: by DELETE /jobs/" + job);
    // the worker JVM stops the calls' timers, and the coordinator forgets the job
    http.await(
        "/cluster",
        c -> asyncInFlight(c) == 0 && c.path("queue").path("jobs").isEmpty(),
        Duration.ofSeconds(20));
    assertEquals(
        200, http.delete("/jobs/" + job).status(), "cancelling an ended job changes nothing");
  }

  private static long asyncInFlight(JsonNode cluster) {
    long sum = 0;
    for (JsonNode worker : cluster.path("workers")) sum += worker.path("async_in_flight").asLong();
    return sum;
  }

  @Test
  void theStreamSendsResultsAsTheyComeAHeartbeatMeanwhileAndEndsWithTheState() {
    String job =
        submit(
            "/map",
            "{\"task\": \"sleep\", \"inputs\": [0.05, 0.05, 1.5], \"chunksize\": 1, \"ordered\":"
                + " false}");
    List<JsonNode> lines = http.streamLines("/jobs/" + job + "/stream");
    JsonNode last = lines.get(lines.size() - 1);
    assertEquals("done", last.path("state").asText(), lines.toString());
    for (JsonNode line : lines.subList(0, lines.size() - 1))
      assertEquals("running", line.path("state").asText());
    List<Double> results = new ArrayList<>();
    for (JsonNode line : lines) line.path("results").forEach(r -> results.add(r.asDouble()));
    results.sort(null);
    assertEquals(List.of(0.05, 0.05, 1.5), results);
    int lastResultLine = 0;
    for (int i = 0; i < lines.size(); i++)
      if (lines.get(i).path("results").has(0)) lastResultLine = i;
    boolean heartbeat = lines.subList(0, lastResultLine).stream().anyMatch(l -> !l.has("results"));
    assertTrue(heartbeat, "a line without results while the long sleep ran: " + lines);

    List<JsonNode> resumed = http.streamLines("/jobs/" + job + "/stream?from=2");
    assertEquals(
        1, resumed.stream().mapToInt(l -> l.path("results").size()).sum(), resumed.toString());
    assertEquals("done", resumed.get(resumed.size() - 1).path("state").asText());
  }

  /**
   * A job whose client asked for it ({@code "abandoned_after"}, as {@code --connect} does) is
   * cancelled once nobody has followed its stream for that long: a client killed mid-job left its
   * job running to its end, for nobody (a tester's).
   */
  @Test
  void aJobWhoseFollowerWentAwayIsCancelledOnceAbandonedForTheTimeItAskedFor() {
    String job =
        submit(
            "/map",
            "{\"task\": \"sleep\", \"inputs\": [0.01, 40, 40, 40], \"chunksize\": 1,"
                + " \"abandoned_after\": \"1s\"}");
    assertFalse(http.streamThenLeave("/jobs/" + job + "/stream", 1).isEmpty());
    JsonNode ended =
        http.await(
            "/jobs/" + job,
            j -> !"running".equals(j.path("state").asText()),
            Duration.ofSeconds(35));
    assertEquals("cancelled", ended.path("state").asText(), ended.toString());
    assertTrue(ended.toString().contains("abandoned_after"), ended.toString());

    // followed to its end, it is not
    String followed =
        submit("/map", "{\"task\": \"sleep\", \"inputs\": [2.5], \"abandoned_after\": \"1s\"}");
    List<JsonNode> lines = http.streamLines("/jobs/" + followed + "/stream");
    assertEquals("done", lines.get(lines.size() - 1).path("state").asText(), lines.toString());

    Http.Response tooShort =
        http.post("/gather", "{\"calls\": [\"square:2\"], \"abandoned_after\": \"200ms\"}");
    assertEquals(400, tooShort.status());
    assertTrue(tooShort.raw().body().contains("abandoned_after"), tooShort.raw().body());
  }

  @Test
  void gatherKeepsEachCallsOutcomeWithItsPosition() {
    String returned =
        submit(
            "/gather",
            "{\"calls\": [\"fib:20\", \"fail:boom\", \"square:7\"], \"return_exceptions\": true}");
    JsonNode done = http.awaitEnd(returned);
    assertEquals("done", done.path("state").asText(), done.toString());
    JsonNode[] byPosition = new JsonNode[3];
    done.path("results").forEach(r -> byPosition[r.path("position").asInt()] = r);
    assertEquals(6765, byPosition[0].path("value").asLong());
    assertEquals("fail:boom", byPosition[1].path("call").asText());
    assertEquals("boom", byPosition[1].path("error").path("message").asText());
    assertEquals(49, byPosition[2].path("value").asLong());

    JsonNode group =
        http.awaitEnd(
            submit("/gather", "{\"calls\": [\"sleep:20\", \"fail:x\"], \"task_group\": true}"));
    assertEquals("failed", group.path("state").asText());
    assertEquals("TaskGroupException", group.path("error").path("kind").asText());
    assertTrue(
        group
            .path("error")
            .path("summary")
            .asText()
            .startsWith(
                "task group failed: 1 call failed, 1 cancelled: task 'fail' failed on input x"
                    + " (position 1)"),
        group.toString());

    JsonNode late =
        http.awaitEnd(
            submit("/gather", "{\"calls\": [\"sleep:20\", \"square:3\"], \"timeout\": 0.3}"));
    assertEquals("failed", late.path("state").asText());
    assertEquals(
        "timed out after 0.3 s: sleep:20 did not finish and was cancelled",
        late.path("error").path("summary").asText());
    assertOneOutcomeEach(late, 2, "cancelled: the gather timed out after 0.3 s");

    JsonNode first =
        http.awaitEnd(submit("/gather", "{\"calls\": [\"sleep:20\", \"fail:y\"], \"limit\": 2}"));
    assertEquals(
        "failed", first.path("state").asText(), "a plain gather fails with its first failure");
    assertEquals("TaskFailedException", first.path("error").path("kind").asText());
    assertOneOutcomeEach(first, 2, "cancelled: another call of the gather failed");
  }

  /**
   * Every call of an ended gather has one outcome in its results, and those its end cut short (the
   * sleeps) say what cut them.
   */
  private static void assertOneOutcomeEach(JsonNode job, int calls, String cutShort) {
    JsonNode[] byPosition = new JsonNode[calls];
    for (JsonNode result : job.path("results")) {
      int position = result.path("position").asInt();
      assertNull(byPosition[position], "one outcome for position " + position + ": " + job);
      byPosition[position] = result;
    }
    for (int position = 0; position < calls; position++) {
      JsonNode result = byPosition[position];
      assertNotNull(result, "an outcome for position " + position + ": " + job);
      if (result.path("call").asText().startsWith("sleep:"))
        assertEquals(cutShort, result.path("error").path("summary").asText(), job.toString());
    }
  }

  @Test
  void clusterShowsMembersWithTheirPidsTheWorkersAndTheQueue() {
    http.awaitEnd(
        submit("/map", "{\"task\": \"square\", \"inputs\": \"1..20\", \"chunksize\": 2}"));
    JsonNode cluster =
        http.await(
            "/cluster",
            c ->
                c.path("members").size() == 2
                    && c.path("members").get(0).path("pid").isNumber()
                    && c.path("members").get(1).path("pid").isNumber(),
            Duration.ofSeconds(20));
    Set<Long> pids = new HashSet<>();
    for (JsonNode member : cluster.path("members")) {
      assertEquals("Up", member.path("status").asText());
      assertTrue(member.path("reachable").asBoolean());
      pids.add(member.path("pid").asLong());
    }
    assertEquals(Set.of(ProcessHandle.current().pid(), shared.workerPid()), pids);
    assertEquals(
        cluster.path("self").asText(),
        cluster.path("coordinator").path("node").asText(),
        "the singleton runs here");
    assertTrue(cluster.path("coordinator").path("answers").asBoolean());
    assertEquals(2, cluster.path("workers").size());
    long chunksDone = 0;
    for (JsonNode worker : cluster.path("workers")) {
      assertEquals(shared.workerPid(), worker.path("pid").asLong());
      assertTrue(
          worker.has("chunks_in_flight") && worker.has("async_in_flight"), worker.toString());
      chunksDone += worker.path("chunks_done").asLong();
    }
    assertTrue(chunksDone >= 10, "the job's ten chunks were done: " + cluster);
    assertTrue(cluster.path("queue").path("chunks_queued").isNumber());
  }

  @Test
  void healthTasksAndTheIndexAnswer() {
    Http.Response health = http.get("/health");
    assertEquals(200, health.status(), health.raw().body());
    assertTrue(health.json().path("coordinator_answers").asBoolean());
    JsonNode tasks = http.get("/tasks").json().path("tasks");
    assertTrue(tasks.findValuesAsText("name").contains("square"), tasks.toString());
    JsonNode index = http.get("/").json();
    assertTrue(
        index.path("routes").findValuesAsText("route").contains("GET /jobs/{id}/stream"),
        index.toString());
    assertTrue(http.get("/jobs").json().path("jobs").isArray());
  }
}
