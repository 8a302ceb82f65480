package org.clusterpool.coordinator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.clusterpool.coordinator.testcluster.SharedCluster;
import org.clusterpool.node.launcher.Ports;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --connect URL}: the same command lines as in this JVM, submitted to a running cluster
 * through its HTTP API, print the same output and exit with the same codes.
 */
@ExtendWith(SharedCluster.Extension.class)
@ExtendWith(LogCapturingExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(90)
class ConnectTest {
  private String url;

  @BeforeAll
  void start(SharedCluster cluster) {
    url = cluster.url().toString();
  }

  private MainTest.Run remote(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--connect");
    all.add(url);
    all.add("--token-file");
    all.add(SharedCluster.tokenFile().toString());
    return MainTest.run(all.toArray(String[]::new));
  }

  /**
   * The first line of standard error, without the worker in brackets (it differs from run to run).
   */
  private static String firstError(MainTest.Run run) {
    return run.err().lines().findFirst().orElse("").replaceAll(" \\[worker-[^\\]]*\\]$", "");
  }

  @Test
  void mapPrintsWhatTheEmbeddedPoolPrints() {
    MainTest.Run here = MainTest.run("map", "square", "1..10");
    MainTest.Run there = remote("map", "square", "1..10");
    assertEquals(0, there.code(), there.err());
    assertEquals(here.out(), there.out());
    assertEquals("", there.err());

    assertEquals(
        MainTest.run("map", "square", "3", "1,2", "5..6", "--chunksize", "1").out(),
        remote("map", "square", "3", "1,2", "5..6", "--chunksize", "1").out());
    assertEquals(List.of("1024", "81"), remote("starmap", "pow", "2,10", "3,4").lines());
    assertEquals(List.of("832040"), remote("apply", "fib", "30").lines());
  }

  @Test
  void mapReadsInputsFromAFileHereAndSendsTheValues(@TempDir Path dir) throws IOException {
    Path inputs = dir.resolve("inputs.txt");
    Files.writeString(inputs, "4\n\n5\n");
    assertEquals(List.of("16", "25"), remote("map", "square", "@" + inputs).lines());

    Path many = dir.resolve("many.txt");
    StringBuilder lines = new StringBuilder();
    for (int i = 1; i <= 100_000; i++) lines.append(i).append('\n');
    Files.writeString(many, lines);
    MainTest.Run run = remote("map", "square", "@" + many, "--quiet");
    assertEquals(0, run.code(), run.err());
    assertEquals(100_000, run.lines().size());
    assertEquals("10000000000", run.lines().get(99_999));
  }

  @Test
  void jsonOutputHasTheSameFields() throws IOException {
    ObjectMapper mapper = new ObjectMapper();
    JsonNode here =
        mapper.readTree(
            MainTest.run("map", "count-primes", "1..200", "--chunksize", "50", "--output", "json")
                .out());
    JsonNode there =
        mapper.readTree(
            remote("map", "count-primes", "1..200", "--chunksize", "50", "--output", "json").out());
    List<String> fieldsHere = new ArrayList<>();
    here.fieldNames().forEachRemaining(fieldsHere::add);
    List<String> fieldsThere = new ArrayList<>();
    there.fieldNames().forEachRemaining(fieldsThere::add);
    assertEquals(fieldsHere, fieldsThere);
    assertEquals(here.get("results"), there.get("results"));
    assertEquals(2, there.get("workers").asInt(), "the cluster's workers");

    JsonNode apply = mapper.readTree(remote("apply", "fib", "20", "--output", "json").out());
    assertEquals(6765, apply.get("results").get(0).asLong());
    assertEquals("20", apply.get("input").asText());
  }

  @Test
  void aFailingTaskFailsTheSameWay() throws IOException {
    MainTest.Run here = MainTest.run("map", "square", "2", "3037000500");
    MainTest.Run there = remote("map", "square", "2", "3037000500");
    assertEquals(1, there.code());
    assertEquals(List.of("4"), there.lines(), "results before the failure are printed");
    assertEquals(firstError(here), firstError(there));
    assertTrue(
        there.err().lines().findFirst().orElseThrow().contains("(pid "),
        "the worker that failed: " + there.err());

    MainTest.Run json = remote("map", "fail", "boom", "--output", "json");
    assertEquals(1, json.code());
    assertEquals(
        "boom", new ObjectMapper().readTree(json.out()).get("error").get("message").asText());

    MainTest.Run verbose = remote("apply", "square", "3037000500", "--verbose");
    assertTrue(
        verbose
            .err()
            .lines()
            .anyMatch(
                l ->
                    l.strip()
                        .startsWith("at org.clusterpool.node.task.builtin.Square.applyAsLong")),
        "--verbose prints the worker's stack: " + verbose.err());
  }

  @Test
  void gatherPrintsWhatTheEmbeddedGatherPrints() {
    MainTest.Run there = remote("gather", "sleep:0.2", "sleep:0.1", "square:7");
    assertEquals(0, there.code(), there.err());
    assertTrue(there.lines().get(0).startsWith("sleep:0.2 -> 0.2  (worker-"), there.out());
    assertTrue(there.lines().get(1).startsWith("sleep:0.1 -> 0.1  (worker-"), there.out());
    assertTrue(there.lines().get(2).startsWith("square:7 -> 49  (worker-"), there.out());
    assertTrue(there.lines().get(3).matches("3 calls in [0-9.]+ s"), there.out());

    MainTest.Run returned =
        remote("gather", "fib:25", "fail:boom", "square:7", "--return-exceptions");
    assertEquals(0, returned.code(), returned.err());
    assertTrue(
        returned
            .lines()
            .get(1)
            .startsWith("fail:boom -> error: task 'fail' failed on input boom (position 1)"),
        returned.out());

    for (List<String> args :
        List.of(
            List.of("gather", "fib:25", "fail:boom"),
            List.of("gather", "sleep:30", "square:3", "--timeout", "500ms"),
            List.of("gather", "sleep:20", "fail:x", "sleep:20", "--task-group"))) {
      MainTest.Run here = MainTest.run(args.toArray(String[]::new));
      MainTest.Run remote = remote(args.toArray(String[]::new));
      assertEquals(here.code(), remote.code(), remote.err());
      assertEquals(firstError(here), firstError(remote), String.join(" ", args));
      assertEquals("", remote.out());
    }
  }

  @Test
  void gatherAsCompletedPrintsEachCallAsItEnds() {
    MainTest.Run run = remote("gather", "sleep:0.6", "sleep:0.05", "fail:x", "--as-completed");
    assertEquals(1, run.code(), "one call failed: " + run.err());
    assertEquals(4, run.lines().size(), run.out());
    assertTrue(
        run.lines().get(2).matches(" *[0-9.]+ s  sleep:0.6 -> 0.6  \\(worker-.*\\)"),
        "the longest call ends last: " + run.out());
    assertTrue(
        run.lines().subList(0, 2).stream()
            .anyMatch(l -> l.contains("fail:x -> error: task 'fail' failed on input x")),
        run.out());
    assertTrue(run.lines().get(3).matches("3 calls in [0-9.]+ s, 1 failed"), run.out());
  }

  @Test
  void usageErrorsAreSaidHereBeforeAnythingIsSent() {
    MainTest.Run bad = remote("map", "fib", "99");
    assertEquals(2, bad.code());
    assertEquals(MainTest.run("map", "fib", "99").err(), bad.err());

    MainTest.Run nodes = MainTest.run("map", "square", "1", "--connect", url, "--nodes", "2");
    assertEquals(2, nodes.code());
    assertTrue(
        nodes.err().startsWith("clusterpool: --connect and --nodes do not go together"),
        nodes.err());
    MainTest.Run workers = MainTest.run("map", "square", "1", "--connect", url, "--workers", "2");
    assertEquals(2, workers.code());
    MainTest.Run notUrl = MainTest.run("map", "square", "1", "--connect=localhost:8080");
    assertEquals(2, notUrl.code());
    assertTrue(notUrl.err().contains("--connect expects the HTTP API's URL"), notUrl.err());
  }

  @Test
  void withoutAUrlItTakesTheStateFilesClusterOrSaysHowToStartOne(@TempDir Path home) {
    String before = System.getProperty("clusterpool.home");
    System.setProperty("clusterpool.home", home.toString());
    try {
      MainTest.Run none = MainTest.run("map", "square", "1..3", "--connect");
      assertEquals(2, none.code());
      assertEquals(1, none.err().lines().count(), none.err());
      assertTrue(none.err().contains("cluster up N"), none.err());
      assertTrue(none.err().contains("--connect http://HOST:PORT"), none.err());
      MainTest.Run between = MainTest.run("map", "square", "--connect", "1..3");
      assertEquals(none.err(), between.err(), "--connect takes a URL only: 1..3 stays an input");
    } finally {
      if (before == null) System.clearProperty("clusterpool.home");
      else System.setProperty("clusterpool.home", before);
    }
  }

  @Test
  void aClusterThatDoesNotAnswerIsAClearErrorNotAHang() {
    MainTest.Run run =
        MainTest.run("map", "square", "1", "--connect", "http://127.0.0.1:" + Ports.any());
    assertEquals(1, run.code());
    assertEquals(1, run.err().lines().count(), run.err());
    assertTrue(
        run.err()
            .startsWith(
                "clusterpool: cannot reach the cluster's HTTP API: nothing listens on"
                    + " http://127.0.0.1:"),
        run.err());
  }
}
