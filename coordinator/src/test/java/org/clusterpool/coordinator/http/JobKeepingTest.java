package org.clusterpool.coordinator.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.StringWriter;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.clusterpool.coordinator.input.InputLimits;
import org.clusterpool.node.task.ValueTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** How the API keeps results and jobs: compact stores, and a bound on what all jobs hold. */
@Timeout(30)
class JobKeepingTest {

  private static String json(ResultStore<?> store, int from, int to) throws IOException {
    StringWriter out = new StringWriter();
    try (JsonGenerator json = Json.MAPPER.getFactory().createGenerator(out)) {
      json.writeStartArray();
      for (int i = from; i < to; i++) store.write(json, i);
      json.writeEndArray();
    }
    return out.toString();
  }

  @Test
  void storesKeepEveryResultAcrossPagesAndBeyondWhatWasExpected() throws IOException {
    ResultStore<Long> longs = ResultStore.forType(ValueTypes.LONG, 70_000);
    for (long i = 0; i < 70_010; i++) longs.add(i * 3); // past a page of 65536, and past the 70000 expected
    assertEquals(70_010, longs.size());
    assertEquals("[196605,196608,196611]", json(longs, 65_535, 65_538));
    assertEquals("[210027]", json(longs, 70_009, 70_010));

    ResultStore<Double> doubles = ResultStore.forType(ValueTypes.DOUBLE, 1);
    doubles.add(0.5);
    doubles.add(2.0);
    assertEquals("[0.5,2.0]", json(doubles, 0, 2));

    ResultStore<String> texts = ResultStore.forType(ValueTypes.TEXT, 2);
    texts.add("a\"b");
    assertEquals("[\"a\\\"b\"]", json(texts, 0, 1));
  }

  /** A job that holds {@code total} results and ends when told. */
  private static final class FakeJob extends ApiJob {
    private final CountDownLatch end = new CountDownLatch(1);
    private final boolean ends;

    FakeJob(String id, long total, boolean ends) {
      super(id, total);
      this.ends = ends;
    }

    @Override
    String kind() {
      return "map";
    }

    @Override
    void run() {
      try {
        if (!ends) end.await(20, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      finish();
    }

    @Override
    protected void stopRunning(String reason) {
      end.countDown();
    }

    @Override
    int available() {
      return state() == State.RUNNING ? 0 : (int) total;
    }

    @Override
    void writeResult(JsonGenerator json, int index) {}

    @Override
    void describe(ObjectNode json) {}
  }

  private static HttpSettings settings(long maxResults, int maxRunning) {
    return new HttpSettings("127.0.0.1", 0, maxResults, Duration.ofMinutes(10), maxRunning, 1 << 20, 100, Duration.ofSeconds(1),
        new InputLimits(1000, 1000));
  }

  private static void awaitEnd(ApiJob job) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (job.state() == ApiJob.State.RUNNING && System.nanoTime() < deadline) Thread.sleep(5);
    assertTrue(job.state() != ApiJob.State.RUNNING, "the job ended");
  }

  @Test
  void finishedJobsMakeRoomOldestFirstAndRunningOnesAreNeverDropped() throws InterruptedException {
    try (JobRegistry registry = new JobRegistry(settings(100, 10))) {
      FakeJob old = new FakeJob(registry.newId(), 40, true);
      registry.start(old);
      awaitEnd(old);
      FakeJob running = new FakeJob(registry.newId(), 50, false);
      registry.start(running);
      FakeJob next = new FakeJob(registry.newId(), 40, false);
      registry.start(next); // 40 + 50 + 40 > 100: the finished job goes
      assertTrue(registry.get(old.id).isEmpty(), "the finished job made room");
      assertTrue(registry.get(running.id).isPresent());

      ApiException full = assertThrows(ApiException.class, () -> registry.start(new FakeJob(registry.newId(), 20, true)));
      assertEquals(503, full.status().intValue());
      assertTrue(full.getMessage().contains("clusterpool.http.max-results"), full.getMessage());

      assertTrue(running.cancel("test"));
      assertEquals(ApiJob.State.CANCELLED, running.state());
      JsonNode error = running.error();
      assertEquals("cancelled: test", error.path("summary").asText());
    }
  }

  @Test
  void runningJobsAreBounded() {
    try (JobRegistry registry = new JobRegistry(settings(1000, 1))) {
      FakeJob first = new FakeJob(registry.newId(), 1, false);
      registry.start(first);
      ApiException full = assertThrows(ApiException.class, () -> registry.start(new FakeJob(registry.newId(), 1, false)));
      assertTrue(full.getMessage().contains("clusterpool.http.max-running-jobs"), full.getMessage());
      first.cancel("test");
    }
  }
}
