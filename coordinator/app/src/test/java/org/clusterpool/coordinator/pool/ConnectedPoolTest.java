package org.clusterpool.coordinator.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import org.clusterpool.coordinator.http.HttpApi;
import org.clusterpool.coordinator.members.LocalCluster;
import org.clusterpool.coordinator.testcluster.Await;
import org.clusterpool.coordinator.testcluster.SharedCluster;
import org.clusterpool.node.launcher.Ports;
import org.clusterpool.node.task.Task;
import org.clusterpool.node.task.builtin.BuiltinTasks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ClusterPool.connect()}: where it finds its cluster (the state file of {@code cluster up},
 * else {@code CLUSTERPOOL_URL}), and the one-line errors when there is none, when nothing answers,
 * when a task is missing, and when the cluster stops in the middle of a job (no wait without end).
 */
@ExtendWith(SharedCluster.Extension.class)
@Timeout(180)
class ConnectedPoolTest {

  @Test
  void withoutAnAddressItTakesTheStateFileThenTheVariableElseSaysHowToStartOne(
      @TempDir Path home, SharedCluster shared) throws Exception {
    String before = System.getProperty("clusterpool.home");
    System.setProperty("clusterpool.home", home.toString());
    try {
      IllegalStateException none =
          assertThrows(IllegalStateException.class, () -> ClusterAddress.find(name -> null));
      assertOneLine(none.getMessage());
      assertTrue(none.getMessage().contains("cluster up N"), none.getMessage());
      assertTrue(none.getMessage().contains("CLUSTERPOOL_URL"), none.getMessage());

      URI fromVariable =
          ClusterAddress.find(Map.of("CLUSTERPOOL_URL", " http://10.0.0.5:8080 ")::get);
      assertEquals(URI.create("http://10.0.0.5:8080"), fromVariable);
      assertThrows(
          IllegalArgumentException.class,
          () -> ClusterAddress.find(Map.of("CLUSTERPOOL_URL", "10.0.0.5:8080")::get));

      Path state = home.resolve(".clusterpool").resolve("cluster.json");
      Files.createDirectories(state.getParent());
      Files.writeString(
          state,
          "{\"http\": \""
              + shared.url()
              + "\", \"seed\": \"pekko://clusterpool@127.0.0.1:1\","
              + " \"logs\": \""
              + home
              + "\", \"started\": \"2026-01-01T00:00:00Z\", \"members\": [], \"token\": \""
              + SharedCluster.TOKEN
              + "\"}");
      assertEquals(
          shared.url(),
          ClusterAddress.find(Map.of("CLUSTERPOOL_URL", "http://10.0.0.5:8080")::get),
          "the state file first, as the command line");
      try (ClusterPool pool =
          ClusterPool.connect()) { // the cluster's token from its state file: the user types none
        assertEquals(List.of(1L, 4L, 9L), pool.map(BuiltinTasks.SQUARE, List.of(1L, 2L, 3L)));
      }
      IllegalStateException wrong =
          assertThrows(
              IllegalStateException.class,
              () ->
                  ClusterPool.builder()
                      .token("not-this-clusters-token")
                      .connect(shared.url().toString()));
      assertOneLine(wrong.getMessage());
      assertTrue(wrong.getMessage().contains("refused the token given"), wrong.getMessage());
    } finally {
      if (before == null) System.clearProperty("clusterpool.home");
      else System.setProperty("clusterpool.home", before);
    }
  }

  /**
   * A state file whose coordinator is gone names no cluster: whatever listens on its old port now
   * (here, another cluster's API) is sent nothing, its token least of all.
   */
  @Test
  void theStateOfAClusterWhoseCoordinatorIsGoneIsNotUsed(@TempDir Path home, SharedCluster shared)
      throws Exception {
    Process ended = new ProcessBuilder("true").start();
    ended.waitFor();
    long deadPid = ended.pid();
    String before = System.getProperty("clusterpool.home");
    System.setProperty("clusterpool.home", home.toString());
    try {
      Path state = home.resolve(".clusterpool").resolve("cluster.json");
      Files.createDirectories(state.getParent());
      Files.writeString(
          state,
          "{\"http\": \""
              + shared.url()
              + "\", \"seed\": \"pekko://clusterpool@127.0.0.1:1\", \"logs\": \""
              + home
              + "\", \"started\": \"2026-01-01T00:00:00Z\", \"token\": \""
              + SharedCluster.TOKEN
              + "\", \"members\": [{\"name\": \"coordinator\", \"role\": \"coordinator\","
              + " \"port\": 1, \"pid\": "
              + deadPid
              + ", \"process_start_millis\": 1, \"status\": \"running\"}]}");
      IllegalStateException gone =
          assertThrows(IllegalStateException.class, () -> ClusterAddress.find(name -> null));
      assertOneLine(gone.getMessage());
      assertTrue(gone.getMessage().contains("is not running"), gone.getMessage());
      assertTrue(gone.getMessage().contains("pid " + deadPid), gone.getMessage());
      assertTrue(
          org.clusterpool.coordinator.connect.ClusterTokens.forUrl(shared.url()).stream()
              .noneMatch(SharedCluster.TOKEN::equals),
          "the dead cluster's token is not sent to what listens on its port now");
    } finally {
      if (before == null) System.clearProperty("clusterpool.home");
      else System.setProperty("clusterpool.home", before);
    }
  }

  @Test
  void aClusterThatDoesNotAnswerIsAOneLineErrorAtOnce() {
    String url = "http://127.0.0.1:" + Ports.any();
    IllegalStateException e =
        assertTimeoutPreemptively(
            Duration.ofSeconds(30),
            () -> assertThrows(IllegalStateException.class, () -> ClusterPool.connect(url)));
    assertOneLine(e.getMessage());
    assertTrue(
        e.getMessage().startsWith("the cluster at " + url + " does not answer: nothing listens"),
        e.getMessage());
    IllegalArgumentException notUrl =
        assertThrows(IllegalArgumentException.class, () -> ClusterPool.connect("localhost:8080"));
    assertTrue(notUrl.getMessage().contains("like http://127.0.0.1:8080"), notUrl.getMessage());
  }

  @Test
  void somethingElseAnsweringAndAnotherVersionOfTheApiAreOneLineErrors() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    String[] index = {"{\"service\": \"something else\"}"};
    server.createContext(
        "/",
        exchange -> {
          byte[] body = index[0].getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    try {
      String url = "http://127.0.0.1:" + server.getAddress().getPort();
      IllegalStateException other =
          assertThrows(IllegalStateException.class, () -> ClusterPool.connect(url));
      assertOneLine(other.getMessage());
      assertTrue(
          other.getMessage().contains("not as a clusterpool coordinator's HTTP API"),
          other.getMessage());
      index[0] =
          "{\"service\": \"clusterpool coordinator HTTP API\", \"routes\": [{\"route\": \"POST"
              + " /map\"}]}";
      IllegalStateException older =
          assertThrows(IllegalStateException.class, () -> ClusterPool.connect(url));
      assertOneLine(older.getMessage());
      assertTrue(
          older.getMessage().contains("speaks another version of clusterpool's HTTP API"),
          older.getMessage());
    } finally {
      server.stop(0);
    }
  }

  @Test
  void anotherServersErrorPageIsOneShortLine() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    // as python3 -m http.server answers a path it does not have, with a control character too
    String page =
        "<!DOCTYPE HTML>\n"
            + "<html lang=\"en\">\u001b[31m\n"
            + "    <head>\n"
            + "        <meta charset=\"utf-8\">\n"
            + "        <title>Error response</title>\n"
            + "    </head>\n"
            + "    <body>\n"
            + "        <h1>Error response</h1>\n"
            + "        <p>Error code: 404</p>\n"
            + "        <p>Message: File not found.</p>\n".repeat(20)
            + "    </body>\n</html>\n";
    server.createContext(
        "/",
        exchange -> {
          byte[] body = page.getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "text/html;charset=utf-8");
          exchange.sendResponseHeaders(404, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    try {
      String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/some/path";
      IllegalStateException e =
          assertThrows(IllegalStateException.class, () -> ClusterPool.connect(url));
      assertOneLine(e.getMessage());
      assertTrue(
          e.getMessage()
              .contains("is not a clusterpool coordinator's HTTP API (it answered HTTP 404"),
          e.getMessage());
      assertTrue(e.getMessage().contains("<!DOCTYPE HTML> <html"), e.getMessage());
      assertTrue(e.getMessage().contains("\\u001b"), e.getMessage()); // escaped, not sent on
      assertTrue(e.getMessage().length() < 300, e.getMessage());
      assertTrue(e.getMessage().chars().noneMatch(Character::isISOControl), e.getMessage());
    } finally {
      server.stop(0);
    }
  }

  @Test
  void aTaskTheClusterLacksIsRefusedBeforeAnyInputGoes(SharedCluster shared) {
    try (ClusterPool pool =
        ClusterPool.builder().token(SharedCluster.TOKEN).connect(shared.url().toString())) {
      Task<Long, Long> lambda =
          Task.cpu(
              "triple",
              org.clusterpool.node.task.ValueTypes.LONG,
              org.clusterpool.node.task.ValueTypes.LONG,
              x -> 3 * x);
      TaskUnavailableException e =
          assertThrows(TaskUnavailableException.class, () -> pool.map(lambda, List.of(1L)));
      assertOneLine(e.getMessage());
      assertTrue(e.getMessage().contains("made from a function"), e.getMessage());
      TaskUnavailableException missing =
          assertThrows(
              TaskUnavailableException.class, () -> pool.map(new NotOnTheCluster(), List.of(1L)));
      assertOneLine(missing.getMessage());
      assertTrue(
          missing
              .getMessage()
              .contains("has no task 'not-on-the-cluster': start it with the task's jar"),
          missing.getMessage());
    }
  }

  /** A task of a class that no jar of the cluster lists. */
  static final class NotOnTheCluster implements org.clusterpool.node.task.CpuTask<Long, Long> {
    @Override
    public String name() {
      return "not-on-the-cluster";
    }

    @Override
    public String description() {
      return "triples";
    }

    @Override
    public org.clusterpool.node.task.ValueType<Long> inputType() {
      return org.clusterpool.node.task.ValueTypes.LONG;
    }

    @Override
    public org.clusterpool.node.task.ValueType<Long> outputType() {
      return org.clusterpool.node.task.ValueTypes.LONG;
    }

    @Override
    public Long apply(Long input, org.clusterpool.node.task.TaskContext context) {
      return 3 * input;
    }
  }

  @Test
  void terminateCancelsThePoolsJobsOnTheClusterAndCloseLeavesItRunning(SharedCluster shared) {
    ClusterPool pool =
        ClusterPool.builder().token(SharedCluster.TOKEN).connect(shared.url().toString());
    CompletableFuture<List<Double>> job =
        pool.mapAsync(BuiltinTasks.SLEEP_BLOCKING, List.of(30.0, 30.0), 1).toCompletableFuture();
    Await.until(
        "the job to run on the cluster",
        Duration.ofSeconds(30),
        () -> !shared.cluster().pool().status(Duration.ofSeconds(5)).jobs().isEmpty());
    pool.terminate();
    assertThrows(
        CancellationException.class,
        () -> ClusterPool.await(job.orTimeout(30, java.util.concurrent.TimeUnit.SECONDS)));
    // the 30-second sleeps were cancelled on the workers: the job leaves the coordinator long
    // before they would end
    Await.until(
        "the job to leave the coordinator",
        Duration.ofSeconds(20),
        () -> shared.cluster().pool().status(Duration.ofSeconds(5)).jobs().isEmpty());
    try (ClusterPool again =
        ClusterPool.builder().token(SharedCluster.TOKEN).connect(shared.url().toString())) {
      assertEquals(List.of(4L), again.map(BuiltinTasks.SQUARE, List.of(2L)), "the cluster runs on");
    }
  }

  @Test
  void aClusterThatStopsMidJobFailsItInOneLine() throws Exception {
    LocalCluster cluster =
        LocalCluster.start(1, 1, Path.of("target", "test-logs", "connect-stops"));
    HttpApi api = null;
    try {
      api = SharedCluster.startApi(cluster, SharedCluster.settings(cluster));
      ClusterPool pool =
          ClusterPool.builder()
              .token(SharedCluster.TOKEN)
              .requestTimeout(Duration.ofSeconds(5))
              .connect(api.url());
      CompletableFuture<List<Double>> job =
          pool.mapAsync(BuiltinTasks.SLEEP_BLOCKING, List.of(20.0, 20.0, 20.0), 1)
              .toCompletableFuture();
      Await.until(
          "the job to run on the cluster",
          Duration.ofSeconds(30),
          () -> !cluster.pool().status(Duration.ofSeconds(5)).jobs().isEmpty());
      api.close();
      api = null;
      cluster.close(); // the coordinator and its worker go, the job's results with them
      // a coordinator that shuts down in order says so on the job's stream; one that vanishes is
      // lost by the client
      RuntimeException e =
          assertTimeoutPreemptively(
              Duration.ofSeconds(90),
              () -> assertThrows(RuntimeException.class, () -> ClusterPool.await(job)));
      assertOneLine(e.getMessage());
      assertTrue(
          e instanceof CoordinatorLostException && e.getMessage().startsWith("lost the cluster at ")
              || e instanceof CancellationException && e.getMessage().contains("shutting down"),
          e.toString());
      pool.close();
      assertTrue(pool.join(Duration.ofSeconds(30)));
    } finally {
      if (api != null) api.close();
      cluster.close();
    }
  }

  private static void assertOneLine(String message) {
    assertEquals(1, message.lines().count(), message);
  }
}
