package org.clusterpool.coordinator.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.clusterpool.node.task.Task;
import org.clusterpool.node.task.ValueType;
import org.clusterpool.node.task.ValueTypes;
import org.clusterpool.node.task.builtin.BuiltinTasks;
import org.clusterpool.node.wire.Values;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * What an embedded pool does with a task's faults and the caller's bad input: the JVM is the
 * caller's, so nothing ends it, and every refusal is one line that says what is accepted.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class EmbeddedFaultsTest {

  private final ClusterPool pool = ClusterPool.embedded(2);

  @AfterAll
  void stop() {
    pool.terminate();
    assertTrue(pool.join(Duration.ofSeconds(10)));
  }

  @Test
  void aTasksOutOfMemoryErrorFailsItsInputAndLeavesTheJvmAndThePoolRunning() {
    // larger than any heap or array may be: refused before anything is allocated, so the test's
    // heap stays whole
    Task<Long, Long> bigArray =
        Task.cpu(
            "bigarray",
            ValueTypes.LONG,
            ValueTypes.LONG,
            x -> (long) new long[Integer.MAX_VALUE].length);
    TaskFailedException e =
        assertThrows(TaskFailedException.class, () -> pool.map(bigArray, List.of(1L)));
    assertEquals("bigarray", e.task());
    assertEquals("java.lang.OutOfMemoryError", e.remoteError().type());
    assertTrue(
        e.getMessage()
            .startsWith("task 'bigarray' failed on input 1 (position 0): OutOfMemoryError: "),
        e.getMessage());
    assertEquals(List.of(1L, 4L), pool.map(BuiltinTasks.SQUARE, List.of(1L, 2L)));
  }

  /**
   * A listener is the caller's code, run by the pool's client actor, which serves every job: one
   * that threw stopped it, and that job, the next ones and the pool's close waited for ever.
   */
  @Test
  void aListenerThatThrowsFailsItsOwnJobAndThePoolGoesOn() throws Exception {
    JobListener throwing =
        new JobListener() {
          @Override
          public void progress(String jobId, long done, long total) {
            throw new IllegalStateException("listener boom");
          }
        };
    java.util.concurrent.ExecutionException failed =
        assertThrows(
            java.util.concurrent.ExecutionException.class,
            () ->
                pool.mapAsync(BuiltinTasks.SQUARE, List.of(1L, 2L, 3L), 1, throwing)
                    .toCompletableFuture()
                    .get(30, java.util.concurrent.TimeUnit.SECONDS));
    assertEquals("listener boom", failed.getCause().getMessage());
    try (ResultIterator<Long> stream =
        pool.stream(BuiltinTasks.SQUARE, List.of(1L, 2L, 3L), 1, true, throwing)) {
      IllegalStateException e =
          assertThrows(
              IllegalStateException.class,
              () -> {
                while (stream.hasNext()) stream.next();
              });
      assertEquals("listener boom", e.getMessage());
    }
    assertEquals(List.of(1L, 4L), pool.map(BuiltinTasks.SQUARE, List.of(1L, 2L)));
  }

  @Test
  void theEmbeddedConfigNeverEndsTheJvmOnAFatalError() {
    assertFalse(
        pool.system().settings().config().getBoolean("pekko.jvm-exit-on-fatal-error"),
        "the JVM is the application's");
  }

  @Test
  void anAbsurdWorkerCountIsRefusedBeforeAnyThreadStarts() {
    // never tried without the bound: it would start 100000 threads
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ClusterPool.embedded(100_000));
    assertTrue(
        e.getMessage().startsWith("the number of workers must be between 1 and 1024, got 100000"),
        e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> ClusterPool.embedded(0));
    e = assertThrows(IllegalArgumentException.class, () -> ClusterPool.builder().embedded(100_000));
    assertTrue(e.getMessage().startsWith("workers must be between 1 and 1024"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class, () -> ClusterPool.builder().workersPerNode(1025));
    assertTrue(
        e.getMessage().startsWith("workersPerNode must be between 1 and 1024"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                ClusterPool.builder()
                    .config(ConfigFactory.parseString("clusterpool.worker.per-node = 100000"))
                    .embedded(0));
    assertTrue(
        e.getMessage().startsWith("clusterpool.worker.per-node must be between 1 and 1024"),
        e.getMessage());
  }

  @Test
  void aFailureOverSeveralLinesIsOneLineWithTheInputAndTheMessageEscaped() {
    TaskFailedException e =
        assertThrows(
            TaskFailedException.class, () -> pool.map(BuiltinTasks.FAIL, List.of("l1\nl2")));
    assertEquals("l1\nl2", e.input(), "the input itself stays whole");
    assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    assertTrue(
        e.getMessage().startsWith("task 'fail' failed on input l1\\nl2 (position 0): "),
        e.getMessage());
    assertTrue(e.getMessage().contains(": l1\\nl2 ["), e.getMessage());
    String longInput = "x".repeat(10_000);
    e =
        assertThrows(
            TaskFailedException.class, () -> pool.map(BuiltinTasks.FAIL, List.of(longInput)));
    assertTrue(e.getMessage().length() < 2_000, "cut short: " + e.getMessage().length());
  }

  @Test
  void aStatusTimeoutOutOfRangeIsRefusedSayingTheRange() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> pool.status(Duration.ofSeconds(-1)));
    assertEquals(
        "the status timeout must be between 1 ms and 1 day, got PT-1S (Duration.ofSeconds(5),"
            + " say)",
        e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> pool.status(Duration.ofDays(400)));
  }

  @Test
  void theStatusOfAStoppedPoolSaysItStopped() {
    ClusterPool closed = ClusterPool.embedded(1);
    closed.close();
    assertTrue(closed.join(Duration.ofSeconds(10)));
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> closed.status(Duration.ofSeconds(5)));
    assertEquals(
        "the pool has stopped (close() or terminate()): it has no status to give", e.getMessage());
  }

  @Test
  void aNullTupleOrCallOrTimeoutIsNamed() {
    NullPointerException e =
        assertThrows(
            NullPointerException.class,
            () -> pool.starmap(BuiltinTasks.POW, Arrays.asList(List.of(2L, 3L), null)));
    assertTrue(e.getMessage().startsWith("tuple at position 1 is null"), e.getMessage());
    e = assertThrows(NullPointerException.class, () -> pool.gather((Call<?>) null));
    assertTrue(e.getMessage().startsWith("the call at position 0 is null"), e.getMessage());
    e =
        assertThrows(
            NullPointerException.class, () -> pool.waitFor(Call.of(BuiltinTasks.SQUARE, 2L), null));
    assertEquals("timeout", e.getMessage());
    e = assertThrows(NullPointerException.class, () -> pool.waitFor(null, Duration.ofSeconds(1)));
    assertEquals("call", e.getMessage());
    IllegalArgumentException tooLong =
        assertThrows(
            IllegalArgumentException.class,
            () -> pool.waitFor(Call.of(BuiltinTasks.SQUARE, 2L), Duration.ofDays(1_000_000)));
    assertEquals(
        "the timeout must be positive and at most 365 days, got PT24000000H", tooLong.getMessage());
  }

  @Test
  void aSleepOfNaNSecondsIsRefused() {
    RuntimeException e =
        assertThrows(
            RuntimeException.class, () -> pool.map(BuiltinTasks.SLEEP, List.of(Double.NaN)));
    assertTrue(
        e.getMessage().contains("NaN s is out of range: accepted 0..300 seconds"), e.getMessage());
  }

  @Test
  void aFatalErrorOutsideTheTaskStopsThatPoolNamingItAndLeavesTheJvmAndOtherPools() {
    // results that cannot be encoded: the error comes after the task's call, in the worker's own
    // code, so it stops the pool's actor system (not the JVM: config/embedded.conf)
    ValueType<Long> unencodable =
        new org.clusterpool.coordinator.testtasks.DelegatingLong() {
          @Override
          public Values encode(List<? extends Long> values) {
            throw new OutOfMemoryError("test: results too large");
          }
        };
    Task<Long, Long> identity = Task.cpu("identity", ValueTypes.LONG, unencodable, x -> x);
    ClusterPool doomed = ClusterPool.embedded(1);
    try {
      IllegalStateException e =
          assertThrows(IllegalStateException.class, () -> doomed.map(identity, List.of(1L)));
      assertTrue(
          e.getMessage()
              .startsWith(
                  "the pool stopped: a fatal error stopped its actor system:"
                      + " java.lang.OutOfMemoryError: test: results too large in worker-"),
          e.getMessage());
    } finally {
      doomed.terminate();
    }
    assertEquals(List.of(9L), pool.map(BuiltinTasks.SQUARE, List.of(3L)), "another pool goes on");
  }
}
