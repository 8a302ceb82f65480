package org.clusterpool.coordinator.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.clusterpool.coordinator.testcluster.SharedCluster;
import org.clusterpool.coordinator.testtasks.CountedSquare;
import org.clusterpool.coordinator.testtasks.ErrorOnResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The HTTP API under requests that would run the coordinator's JVM out of memory, against a real
 * cluster (this JVM coordinates, a worker JVM computes): each gets a one-line 413 or 503 before
 * anything is held, a job's results are held to a byte budget, answers are bounded in bytes, and an
 * error on a job's thread fails the job. Each test runs its own API, with small limits, on the
 * shared cluster's coordinator member.
 */
@ExtendWith(SharedCluster.Extension.class)
@ExtendWith(LogCapturingExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class HttpMemoryTest {
  private SharedCluster shared;
  private HttpSettings base;

  @BeforeAll
  void start(SharedCluster cluster) {
    this.shared = cluster;
    this.base = SharedCluster.settings(cluster.cluster());
  }

  /** Runs {@code body} against an API of these settings, closed after. */
  private <T> T withApi(HttpSettings settings, Function<Http, T> body) {
    try (HttpApi api = SharedCluster.startApi(shared.cluster(), settings)) {
      return body.apply(Http.of(api));
    }
  }

  private HttpSettings budget(long maxResultBytes) {
    return base.withJobLimits(
        Long.MAX_VALUE / 2, maxResultBytes, base.maxKeptJobs(), base.maxRunningJobs());
  }

  private static String submit(Http http, String path, String body) {
    Http.Response created = http.post(path, body);
    assertEquals(201, created.status(), created.raw().body());
    return created.json().path("job").asText();
  }

  @Test
  void aJobWhoseResultsCanNeverFitIsRefusedWith413ByTheirTypeNotTheirCount() {
    withApi(
        budget(1 << 20),
        http -> {
          // 100,000 records: tens of MB of objects, though as a count it is a hundredth of the
          // default max-results
          Http.Response records =
              http.post("/map", "{\"task\": \"whoami\", \"inputs\": \"1..100000\"}");
          assertEquals(413, records.status(), records.raw().body());
          assertTrue(
              records.error().startsWith("a map of 100000 results of 'whoami'"), records.error());
          assertTrue(
              records.error().contains("clusterpool.http.max-result-bytes"), records.error());
          assertFalse(records.error().contains("\n"));
          // as many numbers: 8 bytes each, 800 kB, which fits
          String numbers =
              submit(http, "/map", "{\"task\": \"square\", \"inputs\": \"1..100000\"}");
          assertEquals("done", http.awaitEnd(numbers).path("state").asText());
          return null;
        });
  }

  @Test
  void aJobThatDoesNotFitBesideTheRunningOnesIsRefusedWith503() {
    withApi(
        budget(512 << 10),
        http -> {
          StringBuilder calls = new StringBuilder("{\"calls\": [\"sleep:60\"");
          for (int i = 1; i < 500; i++) calls.append(", \"sleep:60\"");
          String running =
              submit(
                  http, "/gather", calls.append("]}").toString()); // 500 calls: about 420 kB held

          String square = "{\"task\": \"square\", \"inputs\": \"1..20000\"}"; // 160 kB
          Http.Response refused = http.post("/map", square);
          assertEquals(503, refused.status(), refused.raw().body());
          assertTrue(
              refused.error().contains("clusterpool.http.max-result-bytes"), refused.error());
          assertTrue(refused.error().contains("retry when they end"), refused.error());

          assertEquals(200, http.delete("/jobs/" + running).status());
          String accepted = submit(http, "/map", square);
          assertEquals(
              "done",
              http.awaitEnd(accepted).path("state").asText(),
              "the same job fits once the other ended");
          return null;
        });
  }

  /**
   * A range is counted by its bounds: a job of two billion inputs is refused before a single one is
   * made or validated (the test task counts its validations in this JVM).
   */
  @Test
  void aHugeRangeIsRefusedWithoutBeingExpanded() {
    CountedSquare.VALIDATED.set(0);
    withApi(
        base,
        http -> {
          Http.Response count =
              http.post(
                  "/map", "{\"task\": \"test-counted-square\", \"inputs\": \"1..2000000000\"}");
          assertEquals(413, count.status(), count.raw().body());
          assertTrue(count.error().contains("clusterpool.http.max-results"), count.error());
          Http.Response inArray =
              http.post(
                  "/map",
                  "{\"task\": \"test-counted-square\", \"inputs\": [5, \"1..2000000000\"]}");
          assertEquals(413, inArray.status(), inArray.raw().body());
          return null;
        });
    withApi(
        budget(1 << 20),
        http -> {
          Http.Response bytes =
              http.post(
                  "/map", "{\"task\": \"test-counted-square\", \"inputs\": \"1..2000000000\"}");
          assertEquals(413, bytes.status(), bytes.raw().body());
          assertTrue(bytes.error().contains("clusterpool.http.max-result-bytes"), bytes.error());
          Http.Response listed =
              http.post(
                  "/map", "{\"task\": \"test-counted-square\", \"inputs\": [\"1..1000000\", 7]}");
          assertEquals(
              413,
              listed.status(),
              "a range listed in an array is counted as the inputs it makes: "
                  + listed.raw().body());
          assertEquals(0, CountedSquare.VALIDATED.get(), "no input was made, let alone validated");

          String fits =
              submit(http, "/map", "{\"task\": \"test-counted-square\", \"inputs\": \"1..10\"}");
          assertEquals("done", http.awaitEnd(fits).path("state").asText());
          assertTrue(
              CountedSquare.VALIDATED.get() >= 10,
              "the count works: " + CountedSquare.VALIDATED.get());
          return null;
        });
  }

  /** A body that says it is larger than max-body gets its answer before the client has sent it. */
  @Test
  void aBodyOverMaxBodyIsRefusedBeforeItIsRead() throws IOException {
    try (HttpApi api =
            SharedCluster.startApi(
                shared.cluster(),
                base.withMessageLimits(4096, base.maxPageBytes(), base.maxLineBytes()));
        Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", api.address().getPort()), 5000);
      socket.setSoTimeout(20_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST /map HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                  + SharedCluster.TOKEN
                  + "\r\nContent-Type: application/json\r\nContent-Length: 1073741824\r\n\r\n"
                  + "{\"task\": \"square\", \"inputs\": [1")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush(); // a gigabyte announced, 32 bytes sent: the answer comes anyway
      String response = readResponse(socket.getInputStream());
      assertTrue(response.startsWith("HTTP/1.1 413"), response);
      assertTrue(response.contains("clusterpool.http.max-body"), response);
    }
  }

  /** A response's head and body, read by its Content-Length (the connection may stay open). */
  private static String readResponse(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) break;
      head.append((char) b);
    }
    int length = 0;
    for (String line : head.toString().split("\r\n")) {
      if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:"))
        length = Integer.parseInt(line.substring(15).strip());
    }
    return head + new String(in.readNBytes(length), StandardCharsets.UTF_8);
  }

  @Test
  void aFailedJobCountsWhatItHoldsAndIsForgottenToMakeRoom() {
    withApi(
        budget(1 << 20),
        http -> {
          // 100,000 inputs, the last fails: the 99,999 results before it stay, 800 kB
          String failed =
              submit(http, "/map", "{\"task\": \"test-fail-at\", \"inputs\": \"1..100000\"}");
          JsonNode ended =
              http.await(
                  "/jobs/" + failed + "?limit=1",
                  j -> !j.path("state").asText().equals("running"),
                  Duration.ofSeconds(60));
          assertEquals("failed", ended.path("state").asText(), ended.toString());
          assertTrue(
              ended.path("available").asLong() > 50_000,
              "it holds its results: " + ended.path("available"));

          String next =
              submit(
                  http,
                  "/map",
                  "{\"task\": \"square\", \"inputs\": \"1..50000\"}"); // 400 kB: 1.2 MB with it
          assertEquals(
              404,
              http.get("/jobs/" + failed).status(),
              "the failed job was forgotten to make room");
          assertEquals("done", http.awaitEnd(next).path("state").asText());
          return null;
        });
  }

  @Test
  void jobsArePagedNewestFirstWithANextLinkAndUnderAByteBudget() {
    withApi(
        base.withMessageLimits(base.maxBody(), 1024, base.maxLineBytes()),
        http -> {
          List<String> submitted = new ArrayList<>();
          for (int i = 0; i < 7; i++)
            submitted.add(submit(http, "/map", "{\"task\": \"square\", \"inputs\": \"1..3\"}"));
          for (String job : submitted) http.awaitEnd(job);

          JsonNode first = http.get("/jobs?limit=2").json();
          assertEquals(
              List.of(submitted.get(6), submitted.get(5)),
              first.path("jobs").findValuesAsText("job"));
          assertEquals(
              "/jobs?before=" + submitted.get(5) + "&limit=2", first.path("next").asText());

          List<String> all = new ArrayList<>();
          String next = "/jobs?limit=100";
          for (int pages = 0; next != null; pages++) {
            Http.Response page = http.get(next);
            assertEquals(200, page.status(), page.raw().body());
            assertTrue(
                page.raw().body().length() <= 1024,
                "a page of jobs stays under max-page-bytes: " + page.raw().body().length());
            all.addAll(page.json().path("jobs").findValuesAsText("job"));
            next = page.json().hasNonNull("next") ? page.json().path("next").asText() : null;
            assertTrue(pages < 10, "the pages end");
          }
          List<String> newestFirst = new ArrayList<>(submitted);
          java.util.Collections.reverse(newestFirst);
          assertEquals(
              newestFirst, all, "every job once, newest first, though 100 were asked for a page");
          assertEquals(400, http.get("/jobs?before=nope").status());
          return null;
        });
  }

  @Test
  void resultPagesAndStreamLinesAreBoundedInBytes() {
    withApi(
        base.withMessageLimits(base.maxBody(), 4096, 2048),
        http -> {
          String job = submit(http, "/map", "{\"task\": \"whoami\", \"inputs\": \"1..200\"}");
          http.awaitEnd(job);
          Set<Long> inputs = new HashSet<>();
          int from = 0;
          for (int pages = 0; ; pages++) {
            Http.Response page = http.get("/jobs/" + job + "?from=" + from + "&limit=10000");
            assertTrue(
                page.raw().body().length() <= 4096,
                "a page stays under max-page-bytes: " + page.raw().body().length());
            for (JsonNode result : page.json().path("results"))
              assertTrue(inputs.add(result.path("input").asLong()), result.toString());
            if (!page.json().has("next")) break;
            assertTrue(
                page.json().path("results").size() < 200,
                "a page holds what fits, not the 10000 asked for");
            from = page.json().path("next").asInt();
            assertTrue(pages < 200, "the pages end");
          }
          assertEquals(200, inputs.size(), "every result once");

          List<JsonNode> lines = http.streamLines("/jobs/" + job + "/stream");
          int results = 0;
          for (JsonNode line : lines) {
            assertTrue(
                line.toString().length() <= 2048,
                "a stream line stays under max-line-bytes: " + line.toString().length());
            results += line.path("results").size();
          }
          assertEquals(200, results);
          assertTrue(lines.size() > 2, "the results came over several lines: " + lines.size());
          return null;
        });
  }

  /**
   * The test task's results throw an {@link Error} where they are taken, on the API job's thread:
   * the job fails with a one-line error, and its slot is free again (one job may run at once here).
   */
  @Test
  void anErrorOnAJobsThreadFailsTheJobAndFreesItsSlot() {
    withApi(
        base.withJobLimits(base.maxResults(), base.maxResultBytes(), base.maxKeptJobs(), 1),
        http -> {
          for (long poison : List.of(ErrorOnResult.OVERFLOW, ErrorOnResult.OUT_OF_MEMORY)) {
            long first =
                poison == ErrorOnResult.OVERFLOW
                    ? ErrorOnResult.OUT_OF_MEMORY + 1
                    : 1; // the other poison left out
            String job =
                submit(
                    http,
                    "/map",
                    "{\"task\": \"test-error-result\", \"inputs\": \""
                        + first
                        + ".."
                        + (poison + 5)
                        + "\", \"chunksize\": 1}");
            JsonNode failed = http.awaitEnd(job);
            assertEquals("failed", failed.path("state").asText(), failed.toString());
            String kind =
                poison == ErrorOnResult.OVERFLOW ? "StackOverflowError" : "OutOfMemoryError";
            assertEquals(kind, failed.path("error").path("kind").asText(), failed.toString());
            String summary = failed.path("error").path("summary").asText();
            assertTrue(summary.startsWith(kind) && !summary.contains("\n"), summary);
            assertEquals(
                poison - first, failed.path("available").asLong(), "the results before it stay");
          }
          String after = submit(http, "/map", "{\"task\": \"square\", \"inputs\": \"1..5\"}");
          assertEquals(
              "done",
              http.awaitEnd(after).path("state").asText(),
              "the only running slot is free again");
          return null;
        });
  }

  @Test
  void badInputInAnErrorIsEscapedAndCut() {
    withApi(
        base,
        http -> {
          String big = "7".repeat(100_000);
          Http.Response value =
              http.post("/map", "{\"task\": \"square\", \"inputs\": [\"" + big + "\"]}");
          assertEquals(400, value.status());
          assertTrue(
              value
                  .error()
                  .startsWith(
                      "cannot read input '"
                          + "7".repeat(79)
                          + "…' (100000 characters) for task 'square'"),
              value.error());
          assertTrue(value.error().length() < 1100, value.error().length() + " characters");
          Http.Response task =
              http.post("/map", "{\"task\": \"sq\\u0007uare\\n\", \"inputs\": \"1\"}");
          assertEquals(400, task.status());
          assertTrue(
              task.error().startsWith("unknown task 'sq\\u0007uare\\n': accepted: "), task.error());
          Http.Response field = http.post("/map", "{\"task\": \"square\", \"x\\ty\": 1}");
          assertEquals(
              "unknown field 'x\\ty': accepted abandoned_after, chunksize, fingerprint, inputs,"
                  + " ordered, task",
              field.error());
          String job = submit(http, "/map", "{\"task\": \"square\", \"inputs\": \"1..3\"}");
          Http.Response from = http.get("/jobs/" + job + "?from=%0A%07");
          assertEquals(400, from.status());
          assertTrue(from.error().endsWith("got '\\n\\u0007'"), from.error());
          return null;
        });
  }
}
