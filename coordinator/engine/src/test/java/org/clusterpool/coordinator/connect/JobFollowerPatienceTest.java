package org.clusterpool.coordinator.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A coordinator that takes connections and answers nothing for a while (a frozen JVM) is waited for
 * as long as the follower's patience, and the job's stream resumes where it stopped; one whose
 * silence outlasts it, or that refuses connections, is reported in one line. A stand-in server
 * plays the coordinator: its stream writes a line, then stays silent; its checks go unanswered
 * until it "wakes up".
 */
@Timeout(60)
class JobFollowerPatienceTest {
  private static final Duration IDLE = Duration.ofMillis(500);

  private HttpServer server;
  private final CountDownLatch stop = new CountDownLatch(1);
  private final AtomicInteger checks = new AtomicInteger();
  private final AtomicInteger streams = new AtomicInteger();

  @AfterEach
  void stopTheServer() {
    stop.countDown();
    if (server != null) server.stop(0);
  }

  /**
   * Unanswered checks, {@code frozenChecks} of them, then answers; the second stream ends the job.
   */
  private ApiClient coordinatorFrozenFor(int frozenChecks) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext(
        "/jobs/",
        exchange -> {
          String path = exchange.getRequestURI().getPath();
          if (path.endsWith("/stream")) {
            if (streams.incrementAndGet() == 1) {
              writeLines(exchange, "{\"state\":\"running\",\"results\":[1]}\n", true);
            } else {
              writeLines(exchange, "{\"state\":\"done\",\"results\":[4]}\n", false);
            }
          } else if (checks.incrementAndGet() <= frozenChecks) {
            silent(); // frozen: the request was taken, no answer comes
          } else {
            writeLines(exchange, "{\"state\":\"running\"}", false);
          }
        });
    server.start();
    return new ApiClient(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
        .withTimeout(IDLE);
  }

  private void writeLines(HttpExchange exchange, String text, boolean thenSilent)
      throws IOException {
    exchange.sendResponseHeaders(200, 0);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
      out.flush();
      if (thenSilent) silent();
    }
  }

  private void silent() {
    try {
      stop.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static JsonNode follow(ApiClient api, Duration patience, List<Long> results) {
    return new JobFollower(api, "j-1")
        .follow(
            IDLE,
            patience,
            line -> line.path("results").forEach(r -> results.add(r.asLong())),
            IllegalStateException::new,
            (received, problem) ->
                new IllegalStateException("lost after " + received + ": " + problem));
  }

  @Test
  void aCoordinatorThatWakesUpWithinThePatienceIsWaitedFor() throws Exception {
    ApiClient api = coordinatorFrozenFor(3);
    List<Long> results = new ArrayList<>();
    JsonNode end = follow(api, Duration.ofSeconds(20), results);
    assertEquals("done", end.path("state").asText());
    assertEquals(List.of(1L, 4L), results, "each result once, the stream resumed after the first");
    assertEquals(4, checks.get(), "three checks went unanswered, the fourth was answered");
  }

  @Test
  void aSilenceLongerThanThePatienceIsReportedInOneLine() throws Exception {
    ApiClient api = coordinatorFrozenFor(Integer.MAX_VALUE);
    List<Long> results = new ArrayList<>();
    IllegalStateException lost =
        assertThrows(IllegalStateException.class, () -> follow(api, IDLE, results));
    assertTrue(
        lost.getMessage().startsWith("lost after 1: no word for")
            && lost.getMessage().contains("it did not answer a check within"),
        lost.getMessage());
    assertEquals(1, checks.get(), "a patience no longer than the idle limit checks once");
  }

  @Test
  void aSilenceThatOutlastsSeveralChecksSaysHowLongItWaited() throws Exception {
    ApiClient api = coordinatorFrozenFor(Integer.MAX_VALUE);
    IllegalStateException lost =
        assertThrows(
            IllegalStateException.class,
            () -> follow(api, Duration.ofSeconds(2), new ArrayList<>()));
    assertTrue(lost.getMessage().contains("it answered none of "), lost.getMessage());
    assertTrue(checks.get() >= 2, "checked until the patience ran out: " + checks.get());
  }

  @Test
  void aCoordinatorThatRefusesConnectionsIsReportedAtOnce() throws Exception {
    ApiClient api = coordinatorFrozenFor(0);
    server.stop(0); // gone: nothing listens
    IllegalStateException lost =
        assertThrows(
            IllegalStateException.class,
            () -> follow(api, Duration.ofSeconds(30), new ArrayList<>()));
    assertTrue(lost.getMessage().contains("connection refused"), lost.getMessage());
  }
}
