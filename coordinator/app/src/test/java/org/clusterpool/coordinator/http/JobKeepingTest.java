package org.clusterpool.coordinator.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.clusterpool.coordinator.input.InputLimits;
import org.clusterpool.coordinator.testcluster.SharedCluster;
import org.clusterpool.node.task.ValueTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * How the API keeps results and jobs: compact stores that know their heap, and a bound on what all
 * jobs hold.
 */
@Timeout(30)
class JobKeepingTest {
  private static final long BUDGET = 1_000_000;
  private static final long PER_RESULT = 10_000;

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
    for (long i = 0; i < 70_010; i++)
      longs.add(i * 3); // past a page of 65536, and past the 70000 expected
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

  @Test
  void storesCountTheirHeapNumbersByTheSlotAndTextByItsLength() {
    ResultStore<Long> longs = ResultStore.forType(ValueTypes.LONG, 1000);
    for (long i = 0; i < 1000; i++) longs.add(i);
    assertEquals(8 * 1000, longs.bytes(), "a primitive page of the 1000 expected");
    assertEquals(8, longs.bytesPerResult());
    assertEquals(
        8 * 1000,
        ResultStore.forType(ValueTypes.LONG, 1000).bytesAt(1000),
        "the page to come, before any result");
    longs.add(1000L);
    assertEquals(8 * 65536, longs.bytesAt(1001), "one more than expected: the page grows whole");

    ResultStore<String> texts = ResultStore.forType(ValueTypes.TEXT, 100);
    long guessed = texts.bytesPerResult();
    for (int i = 0; i < 100; i++) texts.add("x".repeat(10_000));
    assertTrue(texts.bytes() > 100 * 10_000, "ten thousand characters a result: " + texts.bytes());
    assertTrue(
        texts.bytesPerResult() > 10_000 && texts.bytesPerResult() > guessed,
        "what one more takes follows what came, not the guess: " + texts.bytesPerResult());
  }

  /**
   * A job of {@code total} results of {@code perResult} bytes each, which ends when told (or at
   * once), or fails.
   */
  private static final class FakeJob extends ApiJob {
    private final CountDownLatch end = new CountDownLatch(1);
    private final boolean ends;
    private volatile long perResult;
    private volatile int got;
    private final int failAfter;
    private final Error error;

    FakeJob(String id, long total, boolean ends) {
      this(id, total, ends, -1, null);
    }

    FakeJob(String id, long total, boolean ends, int failAfter, Error error) {
      super(id, total);
      this.ends = ends;
      this.perResult = PER_RESULT;
      this.failAfter = failAfter;
      this.error = error;
    }

    @Override
    String kind() {
      return "map";
    }

    @Override
    void run() {
      if (error != null) throw error;
      if (failAfter >= 0) {
        got = failAfter;
        fail(new IllegalStateException("boom"));
        return;
      }
      try {
        if (!ends) end.await(20, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      got = (int) total;
      finish();
    }

    @Override
    protected void stopRunning(String reason) {
      end.countDown();
    }

    @Override
    int available() {
      return got;
    }

    @Override
    void writeResult(JsonGenerator json, int index) {}

    @Override
    void describe(ObjectNode json) {}

    @Override
    long resultBytes() {
      return got * perResult;
    }

    @Override
    long resultBytesAt(long count) {
      return count * perResult;
    }

    @Override
    long inputBytes() {
      return 0;
    }
  }

  private static HttpSettings settings(long maxBytes, int maxKept, int maxRunning) {
    return new HttpSettings(
        "127.0.0.1",
        0,
        10_000_000,
        maxBytes,
        Duration.ofMinutes(10),
        maxKept,
        maxRunning,
        1 << 20,
        100,
        1 << 20,
        1 << 20,
        Duration.ofSeconds(1),
        Duration.ofSeconds(2),
        new InputLimits(1000, 1000, 1 << 20),
        new AccessSettings(SharedCluster.TOKEN, "", true, false, List.of()),
        HttpsSettings.NONE);
  }

  private static void awaitEnd(ApiJob job) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (job.state() == ApiJob.State.RUNNING && System.nanoTime() < deadline) Thread.sleep(5);
    assertTrue(job.state() != ApiJob.State.RUNNING, "the job ended");
  }

  @Test
  void finishedJobsMakeRoomOldestFirstAndRunningOnesAreNeverDropped() throws InterruptedException {
    try (JobRegistry registry = new JobRegistry(settings(BUDGET, 100, 10))) {
      FakeJob old = new FakeJob(registry.newId(), 40, true); // 400 kB once done
      registry.start(old);
      awaitEnd(old);
      FakeJob running = new FakeJob(registry.newId(), 50, false); // 500 kB to come
      registry.start(running);
      FakeJob next = new FakeJob(registry.newId(), 40, false);
      registry.start(next); // 400 + 500 + 400 kB > 1 MB: the finished job goes
      assertTrue(registry.get(old.id).isEmpty(), "the finished job made room");
      assertTrue(registry.get(running.id).isPresent());

      ApiException full =
          assertThrows(
              ApiException.class, () -> registry.start(new FakeJob(registry.newId(), 20, true)));
      assertEquals(503, full.status().intValue());
      assertTrue(
          full.getMessage().contains("clusterpool.http.max-result-bytes"), full.getMessage());

      ApiException never =
          assertThrows(
              ApiException.class, () -> registry.start(new FakeJob(registry.newId(), 101, true)));
      assertEquals(413, never.status().intValue(), "more than the whole budget: it can never fit");
      assertTrue(
          never.getMessage().contains("clusterpool.http.max-result-bytes"), never.getMessage());

      assertTrue(running.cancel("test"));
      assertEquals(ApiJob.State.CANCELLED, running.state());
      JsonNode error = running.error();
      assertEquals("cancelled: test", error.path("summary").asText());
      next.cancel("test");
    }
  }

  @Test
  void aFailedJobCountsWhatItHoldsAndIsForgottenToMakeRoom() throws InterruptedException {
    try (JobRegistry registry = new JobRegistry(settings(BUDGET, 100, 10))) {
      FakeJob failed = new FakeJob(registry.newId(), 80, true, 60, null);
      registry.start(failed);
      awaitEnd(failed);
      assertEquals(ApiJob.State.FAILED, failed.state());
      assertTrue(
          failed.countedBytes() >= 60 * PER_RESULT,
          "its 60 results count: " + failed.countedBytes());
      assertTrue(
          registry.held() >= 60 * PER_RESULT, "and the registry counts them: " + registry.held());

      FakeJob next = new FakeJob(registry.newId(), 50, false); // 600 + 500 kB > 1 MB
      registry.start(next);
      assertTrue(registry.get(failed.id).isEmpty(), "the failed job was forgotten to make room");
      next.cancel("test");
    }
  }

  @Test
  void keptJobsAreBoundedInCountOldestFinishedFirst() throws InterruptedException {
    try (JobRegistry registry = new JobRegistry(settings(BUDGET, 3, 1))) {
      FakeJob first = new FakeJob(registry.newId(), 1, true);
      registry.start(first);
      awaitEnd(first);
      FakeJob second = new FakeJob(registry.newId(), 1, true);
      registry.start(second);
      awaitEnd(second);
      FakeJob third = new FakeJob(registry.newId(), 1, true);
      registry.start(third);
      awaitEnd(third);
      FakeJob fourth = new FakeJob(registry.newId(), 1, true);
      registry.start(fourth);
      assertTrue(registry.get(first.id).isEmpty(), "the oldest finished job went");
      assertTrue(
          registry.get(second.id).isPresent()
              && registry.get(third.id).isPresent()
              && registry.get(fourth.id).isPresent());
      assertEquals(3, registry.kept());
    }
  }

  @Test
  void runningJobsAreBounded() {
    try (JobRegistry registry = new JobRegistry(settings(BUDGET, 10, 1))) {
      FakeJob first = new FakeJob(registry.newId(), 1, false);
      registry.start(first);
      ApiException full =
          assertThrows(
              ApiException.class, () -> registry.start(new FakeJob(registry.newId(), 1, false)));
      assertTrue(
          full.getMessage().contains("clusterpool.http.max-running-jobs"), full.getMessage());
      first.cancel("test");
    }
  }

  /**
   * An {@link Error} thrown on a job's thread fails the job in one line and frees its running slot.
   */
  @Test
  void anErrorOnTheJobsThreadFailsTheJobAndFreesItsSlot() throws InterruptedException {
    try (JobRegistry registry = new JobRegistry(settings(BUDGET, 10, 1))) {
      for (Error error :
          List.of(new StackOverflowError(), new OutOfMemoryError("Java heap space"))) {
        FakeJob broken = new FakeJob(registry.newId(), 1, true, -1, error);
        registry.start(broken);
        awaitEnd(broken);
        assertEquals(ApiJob.State.FAILED, broken.state());
        String summary = broken.error().path("summary").asText();
        assertTrue(summary.startsWith(error.getClass().getSimpleName()), summary);
        assertFalse(summary.contains("\n"), summary);
        assertEquals(error.getClass().getSimpleName(), broken.error().path("kind").asText());
      }
      FakeJob after =
          new FakeJob(registry.newId(), 1, true); // max-running-jobs = 1: the slot is free again
      registry.start(after);
      awaitEnd(after);
      assertEquals(ApiJob.State.DONE, after.state());
    }
  }

  @Test
  void aRunningJobWhoseResultsOutgrowItsRoomForgetsFinishedJobsThenFails()
      throws InterruptedException {
    try (JobRegistry registry = new JobRegistry(settings(BUDGET, 10, 10))) {
      FakeJob finished = new FakeJob(registry.newId(), 50, true); // 500 kB held
      registry.start(finished);
      awaitEnd(finished);
      FakeJob growing = new FakeJob(registry.newId(), 10, false); // admitted at 100 kB
      registry.start(growing);
      assertTrue(growing.reserved() <= 10 * PER_RESULT + 1);

      growing.perResult = 80_000; // its results turn out larger: 800 kB in all
      growing.got = 5;
      assertTrue(checkNow(growing), "room is made for it");
      assertTrue(registry.get(finished.id).isEmpty(), "by forgetting the finished job");
      assertTrue(growing.reserved() >= 800_000, "its room grew: " + growing.reserved());

      growing.perResult = 200_000; // 2 MB: more than the whole budget
      growing.got = 8;
      assertFalse(checkNow(growing), "no room can be made");
      assertTrue(growing.outgrown());
      assertEquals("ResultsTooLargeException", growing.error().path("kind").asText());
      assertTrue(
          growing.error().path("summary").asText().contains("clusterpool.http.max-result-bytes"),
          growing.error().toString());
    }
  }

  /**
   * Calls {@link ApiJob#stillFits} until it checks (it checks every thousand results or MiB of
   * results).
   */
  private static boolean checkNow(ApiJob job) {
    boolean fits = true;
    for (int i = 0; i < 1024 && fits; i++) fits = job.stillFits();
    return fits;
  }

  @Test
  void jobsArePagedNewestFirst() throws InterruptedException {
    try (JobRegistry registry = new JobRegistry(settings(BUDGET, 10, 10))) {
      FakeJob[] jobs = new FakeJob[5];
      for (int i = 0; i < 5; i++) {
        jobs[i] = new FakeJob(registry.newId(), 1, true);
        registry.start(jobs[i]);
      }
      for (FakeJob job : jobs) awaitEnd(job);
      assertEquals(List.of(jobs[4].id, jobs[3].id), ids(registry.page(null, 2)));
      assertEquals(List.of(jobs[2].id, jobs[1].id), ids(registry.page(jobs[3].id, 2)));
      assertEquals(List.of(jobs[0].id), ids(registry.page(jobs[1].id, 2)));
      assertEquals(List.of(), ids(registry.page(jobs[0].id, 2)));
    }
  }

  private static List<String> ids(List<ApiJob> jobs) {
    return jobs.stream().map(job -> job.id).toList();
  }
}
