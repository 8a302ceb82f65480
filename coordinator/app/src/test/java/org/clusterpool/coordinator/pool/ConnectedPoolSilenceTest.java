package org.clusterpool.coordinator.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.clusterpool.node.task.Task;
import org.clusterpool.node.task.builtin.BuiltinTasks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A connected pool whose coordinator stops answering (as under {@code kill -STOP}: connections are
 * taken, nothing is answered) waits for it no longer than the pool's own settings say, whatever it
 * was doing: a running map, a new map, a status, a new connect, an iterator's close, a terminate.
 * The coordinator is a stand-in that speaks the API until it freezes. Each bound below is far under
 * the fixed waits of 30 s and 120 s that the pool had before it took its settings.
 */
@Timeout(120)
class ConnectedPoolSilenceTest {
  private static final Duration LIMIT = Duration.ofMillis(800);

  /** Far below the 30 s every request waited before, far above what a noisy machine needs. */
  private static final Duration BOUND = Duration.ofSeconds(20);

  private FrozenApi api;

  @BeforeEach
  void start() throws IOException {
    api = new FrozenApi(List.of(BuiltinTasks.SQUARE, BuiltinTasks.SLEEP_BLOCKING));
  }

  @AfterEach
  void stop() {
    api.close();
  }

  private ClusterPool connect() {
    return ClusterPool.builder().requestTimeout(LIMIT).startTimeout(LIMIT).connect(api.url());
  }

  @Test
  void aRunningMapFailsByTheRequestTimeoutAndSaysWhatItWaited() {
    ClusterPool pool = connect();
    CompletableFuture<List<Double>> job =
        pool.mapAsync(BuiltinTasks.SLEEP_BLOCKING, List.of(1.0, 2.0)).toCompletableFuture();
    api.awaitStreams(1);
    api.freeze();
    CoordinatorLostException e =
        assertTimeoutPreemptively(
            BOUND,
            () -> assertThrows(CoordinatorLostException.class, () -> ClusterPool.await(job)));
    assertOneLine(e.getMessage());
    assertTrue(e.getMessage().contains("no word for 800 ms"), e.getMessage());
    assertTrue(e.getMessage().contains("it did not answer a check within 800 ms"), e.getMessage());
    assertFalse(e.getMessage().contains(" 0 s"), e.getMessage());
    assertTimeoutPreemptively(BOUND, pool::terminate);
  }

  @Test
  void aNewMapAStatusAndANewConnectFailByTheirTimeouts() {
    ClusterPool pool = connect();
    api.freeze();
    IllegalStateException map =
        assertTimeoutPreemptively(
            BOUND,
            () ->
                assertThrows(
                    IllegalStateException.class, () -> pool.map(BuiltinTasks.SQUARE, List.of(3L))));
    assertOneLine(map.getMessage());
    assertTrue(map.getMessage().contains("did not answer within 800 ms"), map.getMessage());

    IllegalStateException status =
        assertTimeoutPreemptively(
            BOUND,
            () ->
                assertThrows(
                    IllegalStateException.class, () -> pool.status(Duration.ofMillis(1500))));
    assertOneLine(status.getMessage());
    assertTrue(status.getMessage().contains("did not answer within 1500 ms"), status.getMessage());

    IllegalStateException again =
        assertTimeoutPreemptively(
            BOUND,
            () ->
                assertThrows(
                    IllegalStateException.class,
                    () ->
                        ClusterPool.builder()
                            .startTimeout(Duration.ofSeconds(2))
                            .connect(api.url())));
    assertOneLine(again.getMessage());
    assertTrue(again.getMessage().contains("did not answer within 2 s"), again.getMessage());
    assertTimeoutPreemptively(BOUND, pool::terminate);
  }

  @Test
  void aSubmissionToACoordinatorThatTakesNothingFailsByTheRequestTimeout() {
    ClusterPool pool = connect();
    assertEquals(
        List.of(1L, 4L),
        assertTimeoutPreemptively(BOUND, () -> pool.map(BuiltinTasks.SQUARE, List.of(1L, 2L))));
    api.freeze();
    IllegalStateException small =
        assertTimeoutPreemptively(
            BOUND,
            () ->
                assertThrows(
                    IllegalStateException.class, () -> pool.map(BuiltinTasks.SQUARE, List.of(2L))));
    assertOneLine(small.getMessage());
    assertTrue(small.getMessage().contains("did not answer within 800 ms"), small.getMessage());
    // more than the socket buffers hold: the upload itself stalls
    Iterable<Long> many = () -> java.util.stream.LongStream.range(0, 3_000_000).iterator();
    IllegalStateException e =
        assertTimeoutPreemptively(
            BOUND,
            () ->
                assertThrows(
                    IllegalStateException.class, () -> pool.map(BuiltinTasks.SQUARE, many)));
    assertOneLine(e.getMessage());
    assertTrue(e.getMessage().contains("did not answer within"), e.getMessage());
    assertTimeoutPreemptively(BOUND, pool::terminate);
  }

  @Test
  void terminateAndAnIteratorsCloseDoNotWaitForAFrozenCoordinator() {
    // 3 s: the jobs' streams are lost only after 6 s of silence, long after terminate() began
    ClusterPool pool =
        ClusterPool.builder()
            .requestTimeout(Duration.ofSeconds(3))
            .startTimeout(Duration.ofSeconds(3))
            .connect(api.url());
    List<CompletableFuture<List<Double>>> jobs = new java.util.ArrayList<>();
    for (int i = 0; i < 3; i++) {
      jobs.add(pool.mapAsync(BuiltinTasks.SLEEP_BLOCKING, List.of(30.0), 1).toCompletableFuture());
    }
    ResultIterator<Double> results = pool.imap(BuiltinTasks.SLEEP_BLOCKING, List.of(30.0));
    api.awaitStreams(4);
    api.freeze();
    assertTimeoutPreemptively(BOUND, results::close);
    assertTimeoutPreemptively(BOUND, pool::terminate);
    for (CompletableFuture<List<Double>> job : jobs) {
      assertThrows(
          java.util.concurrent.CancellationException.class,
          () -> ClusterPool.await(job.orTimeout(30, TimeUnit.SECONDS)));
    }
    assertTrue(pool.join(BOUND));
  }

  @Test
  void terminateEndsAGatherOfMoreCallsThanRunAtOnce() {
    ClusterPool pool = connect();
    int calls = ConnectedPool.CALLS_IN_FLIGHT + 6; // six wait in the pool's queue
    List<Call<?>> sleeps = new java.util.ArrayList<>();
    for (int i = 0; i < calls; i++) sleeps.add(Call.of(BuiltinTasks.SLEEP_BLOCKING, 30.0));
    CompletableFuture<Gathered> gathered =
        pool.gatherReturningExceptions(sleeps.toArray(Call<?>[]::new)).toCompletableFuture();
    api.awaitStreams(ConnectedPool.CALLS_IN_FLIGHT);
    api.freeze();
    assertTimeoutPreemptively(BOUND, pool::terminate);
    Gathered done =
        assertTimeoutPreemptively(BOUND, () -> gathered.get(BOUND.toSeconds(), TimeUnit.SECONDS));
    for (int i = 0; i < calls; i++) {
      assertTrue(
          done.error(i) instanceof java.util.concurrent.CancellationException,
          i + ": " + done.error(i));
    }
    assertEquals(ConnectedPool.CALLS_IN_FLIGHT, api.jobs(), "the queued calls were never sent");
  }

  @Test
  void noInputsIsNoJobAndNoRequestAsInAnEmbeddedPool() {
    try (ClusterPool pool = connect()) {
      int before = api.requests();
      assertEquals(List.of(), pool.map(BuiltinTasks.SQUARE, List.of()));
      assertEquals(List.of(), pool.map(BuiltinTasks.SQUARE, List.of(), 5));
      assertEquals(
          List.of(), ClusterPool.await(pool.mapAsync(BuiltinTasks.SQUARE, List.<Long>of())));
      assertEquals(List.of(), pool.starmap(BuiltinTasks.POW, List.of()));
      Iterable<Long> lazy = () -> java.util.Collections.emptyIterator();
      assertEquals(List.of(), pool.map(BuiltinTasks.SQUARE, lazy));
      try (ResultIterator<Long> none = pool.imap(BuiltinTasks.SQUARE, List.of())) {
        assertFalse(none.hasNext());
      }
      try (ResultIterator<Long> none = pool.imapUnordered(BuiltinTasks.SQUARE, List.of())) {
        assertFalse(none.hasNext());
      }
      // a task the cluster lacks is not asked about either, as an embedded pool runs any task
      Task<Long, Long> lambda =
          Task.cpu(
              "triple",
              org.clusterpool.node.task.ValueTypes.LONG,
              org.clusterpool.node.task.ValueTypes.LONG,
              x -> 3 * x);
      assertEquals(List.of(), pool.map(lambda, List.of()));
      assertEquals(before, api.requests(), "no request for no input");
      try (ClusterPool embedded = ClusterPool.embedded(1)) {
        assertEquals(
            embedded.map(BuiltinTasks.SQUARE, List.of()), pool.map(BuiltinTasks.SQUARE, List.of()));
      }
    }
  }

  private static void assertOneLine(String message) {
    assertEquals(1, message.lines().count(), message);
  }

  /**
   * A stand-in for a coordinator's HTTP API: it answers the index, the tasks, the status, a job's
   * submission, check and cancel, and writes a job's stream a heartbeat every 100 ms, until {@link
   * #freeze()}: from then on it takes connections and answers nothing, as a stopped process.
   */
  static final class FrozenApi implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final CountDownLatch thawed = new CountDownLatch(1);
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger streams = new AtomicInteger();
    private final AtomicInteger jobs = new AtomicInteger();
    private volatile boolean frozen;

    /** The results of each job of squares, which ends at once; other jobs run until frozen. */
    private final java.util.Map<String, String> squares =
        new java.util.concurrent.ConcurrentHashMap<>();

    FrozenApi(List<Task<?, ?>> tasks) throws IOException {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.setExecutor(threads);
      StringBuilder list = new StringBuilder("{\"tasks\": [");
      for (Task<?, ?> task : tasks) {
        if (list.charAt(list.length() - 1) != '[') list.append(", ");
        list.append("{\"name\": \"")
            .append(task.name())
            .append("\", \"fingerprint\": \"")
            .append(ActorPool.remoteSignature(task).fingerprint())
            .append("\"}");
      }
      String taskList = list.append("]}").toString();
      server.createContext(
          "/",
          exchange -> {
            requests.incrementAndGet();
            if (frozen) {
              hang(exchange);
              return;
            }
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            if (path.equals("/")) {
              answer(
                  exchange,
                  200,
                  "{\"service\": \"clusterpool coordinator HTTP API\", \"routes\": ["
                      + "{\"route\": \"POST /map\"}, {\"route\": \"/jobs/{id}/stream\"},"
                      + " {\"route\": \"DELETE /jobs/{id}\"}, {\"route\": \"/tasks\"}]}");
            } else if (path.equals("/tasks")) {
              answer(exchange, 200, taskList);
            } else if (path.equals("/cluster")) {
              answer(exchange, 200, "{}");
            } else if (path.equals("/map") && method.equals("POST")) {
              com.fasterxml.jackson.databind.JsonNode body =
                  new com.fasterxml.jackson.databind.ObjectMapper()
                      .readTree(exchange.getRequestBody());
              String id = "j" + jobs.incrementAndGet();
              if (body.path("task").asText().equals(BuiltinTasks.SQUARE.name())) {
                StringBuilder results = new StringBuilder();
                for (com.fasterxml.jackson.databind.JsonNode x : body.path("inputs")) {
                  if (results.length() > 0) results.append(", ");
                  results.append(x.asLong() * x.asLong());
                }
                squares.put(id, results.toString());
              }
              answer(exchange, 201, "{\"job\": \"" + id + "\", \"workers\": 2}");
            } else if (path.endsWith("/stream")) {
              stream(exchange, path.split("/")[2]);
            } else {
              answer(exchange, 200, "{\"state\": \"running\"}");
            }
          });
      server.start();
    }

    String url() {
      return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    int requests() {
      return requests.get();
    }

    int jobs() {
      return jobs.get();
    }

    /** Waits until {@code n} streams are open. */
    void awaitStreams(int n) {
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (streams.get() < n) {
        if (System.nanoTime() > end) throw new AssertionError("no " + n + " streams in 30 s");
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          throw new AssertionError(e);
        }
      }
    }

    void freeze() {
      frozen = true;
    }

    private void stream(HttpExchange exchange, String job) throws IOException {
      exchange.getResponseHeaders().add("Content-Type", "application/x-ndjson");
      exchange.sendResponseHeaders(200, 0);
      streams.incrementAndGet();
      OutputStream out = exchange.getResponseBody();
      String results = squares.get(job);
      if (results != null) {
        out.write(
            ("{\"state\": \"done\", \"results\": [" + results + "]}\n")
                .getBytes(StandardCharsets.UTF_8));
        exchange.close();
        return;
      }
      try {
        while (!frozen) {
          out.write(
              "{\"state\": \"running\", \"results\": [], \"done\": 0, \"total\": 2}\n"
                  .getBytes(StandardCharsets.UTF_8));
          out.flush();
          Thread.sleep(100);
        }
        hang(exchange);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (IOException e) {
        // the client went
      }
    }

    /** Answers nothing until the test ends (at most two minutes). */
    private void hang(HttpExchange exchange) {
      try {
        thawed.await(2, TimeUnit.MINUTES);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      exchange.close();
    }

    private static void answer(HttpExchange exchange, int status, String json) throws IOException {
      byte[] body = json.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(status, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    }

    @Override
    public void close() {
      thawed.countDown();
      server.stop(0);
      threads.shutdownNow();
    }
  }
}
