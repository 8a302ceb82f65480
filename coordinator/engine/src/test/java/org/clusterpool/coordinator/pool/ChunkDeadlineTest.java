package org.clusterpool.coordinator.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.clusterpool.coordinator.testtasks.NeverOnOne;
import org.clusterpool.coordinator.testtasks.StuckOnce;
import org.clusterpool.node.task.builtin.BuiltinTasks;
import org.clusterpool.node.wire.RemoteError;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A chunk stuck past its deadline on one worker runs again on another worker of the same node, or
 * on that same worker when it is the only one: stopping the stuck attempt must not stop the new
 * one.
 */
@Timeout(120)
class ChunkDeadlineTest {

  @AfterEach
  void letGo() {
    StuckOnce.release();
  }

  @Test
  void aChunkStuckOnOneWorkerRunsAgainOnAnotherWorkerOfItsNodeAndTheJobEnds() throws Exception {
    List<String> retries = new CopyOnWriteArrayList<>();
    JobListener listener =
        new JobListener() {
          @Override
          public void chunkRetried(String jobId, long seq, int size, String reason) {
            retries.add(reason);
          }
        };
    try (ClusterPool pool =
        ClusterPool.embedded(
            2,
            ConfigFactory.parseString(
                "clusterpool.chunk.timeout = 2 s\nclusterpool.chunk.timeout-min = 1 s"))) {
      List<Long> out =
          pool.mapAsync(new StuckOnce(), List.of(0L, 1L, 2L, 3L), 1, listener)
              .toCompletableFuture()
              .get(60, TimeUnit.SECONDS);
      assertEquals(List.of(0L, 1L, 2L, 3L), out);
      assertTrue(StuckOnce.stuckOne(), "the first call on 0 hung");
      assertTrue(
          retries.stream().anyMatch(r -> r.contains("passed its deadline")), retries.toString());
      assertTrue(
          retries.stream().noneMatch(r -> r.contains("lost")),
          "the new attempt ran, it was not dropped as stopped: " + retries);
    }
  }

  /**
   * A cpu task deaf to interrupts holds its worker's thread past the deadline: work sent there
   * meanwhile only waited behind it and passed its own deadlines (a tester's later jobs took 600 s
   * each, blamed on their own inputs, or waited for ever). The worker now gets nothing until it
   * reports again; with every worker held, jobs fail naming what holds them, and once the task
   * returns the worker serves again.
   */
  @Test
  void aWorkerHeldByATaskDeafToItsDeadlineGetsNoMoreWorkUntilItIsFree() throws Exception {
    try (ClusterPool pool =
        ClusterPool.embedded(
            1,
            ConfigFactory.parseString(
                "clusterpool.chunk.timeout = 2 s\nclusterpool.chunk.timeout-min = 1 s\n"
                    + "clusterpool.job.no-workers-timeout = 3 s"))) {
      CompletionException stuck =
          assertThrows(
              CompletionException.class,
              () ->
                  pool.mapAsync(new StuckOnce(), List.of(0L), 1, JobListener.NONE)
                      .toCompletableFuture()
                      .orTimeout(60, TimeUnit.SECONDS)
                      .join());
      assertTrue(StuckOnce.stuckOne(), "the call on 0 hung");
      NoWorkersException held = assertInstanceOf(NoWorkersException.class, stuck.getCause());
      assertTrue(
          held.getMessage().contains("held for 3 s")
              && held.getMessage().contains("by task 'test-stuck-once', the input at position 0"),
          held.getMessage());

      // another job, while the worker is still held: it ends too, with the same cause
      CompletionException later =
          assertThrows(
              CompletionException.class,
              () ->
                  pool.mapAsync(BuiltinTasks.SQUARE, List.of(1L, 2L))
                      .toCompletableFuture()
                      .orTimeout(60, TimeUnit.SECONDS)
                      .join());
      assertTrue(
          later.getCause().getMessage().contains("by task 'test-stuck-once'"),
          later.getCause().toString());

      StuckOnce.release(); // the task returns: the worker reports, and takes work again
      assertEquals(
          List.of(9L),
          pool.mapAsync(BuiltinTasks.SQUARE, List.of(3L))
              .toCompletableFuture()
              .get(60, TimeUnit.SECONDS));
    }
  }

  /**
   * An async call that never ends, on a pool of one worker: each attempt passes its deadline and is
   * stopped there, and the next one goes to that same worker. It runs max-attempts times and fails
   * naming its deadline; it was dropped as stopped, looked lost, and ran again uncharged 20 times,
   * failing as ChunkLost (found by a tester).
   */
  @Test
  void anAsyncCallThatNeverEndsOnTheOnlyWorkerRunsMaxAttemptsTimesAndFailsNamingItsDeadline()
      throws Exception {
    NeverOnOne.STARTS_ON_ONE.set(0);
    List<String> retries = new CopyOnWriteArrayList<>();
    JobListener listener =
        new JobListener() {
          @Override
          public void chunkRetried(String jobId, long seq, int size, String reason) {
            retries.add(reason);
          }
        };
    NeverOnOne never = new NeverOnOne();
    try (ClusterPool pool =
        ClusterPool.embedded(
            1,
            ConfigFactory.parseString(
                "clusterpool.chunk.timeout = 2 s\nclusterpool.chunk.timeout-min = 1 s"))) {
      List<Long> inputs = List.of(6L, 1L, 7L);
      CompletionException e =
          assertThrows(
              CompletionException.class,
              () ->
                  pool.mapAsync(never, inputs, 1, listener)
                      .toCompletableFuture()
                      .orTimeout(60, TimeUnit.SECONDS)
                      .join());
      TaskFailedException failed = assertInstanceOf(TaskFailedException.class, e.getCause());
      RemoteError error = failed.remoteError();
      assertEquals("ChunkTimedOut", error.type(), error.toString());
      assertTrue(error.message().contains("ran out of time 3 times"), error.message());
      assertEquals(3, NeverOnOne.STARTS_ON_ONE.get(), "one start per attempt: " + retries);
      assertEquals(2, retries.size(), retries.toString());
      assertTrue(
          retries.stream().allMatch(r -> r.contains("passed its deadline")), retries.toString());
    }
  }

  /**
   * A gather says which of its calls runs again, and why, as map notes a chunk: the call that never
   * ends (position 1 of three) is reported at each of its two retries; the others come once.
   */
  @Test
  void aGatheredCallThatRunsAgainIsReportedByItsPositionWithItsReason() throws Exception {
    NeverOnOne.STARTS_ON_ONE.set(0);
    List<String> retries = new CopyOnWriteArrayList<>();
    NeverOnOne never = new NeverOnOne();
    try (ClusterPool pool =
        ClusterPool.embedded(
            1,
            ConfigFactory.parseString(
                "clusterpool.chunk.timeout = 2 s\nclusterpool.chunk.timeout-min = 1 s"))) {
      Gathered done =
          Gather.on(pool)
              .onRetry(
                  (position, call, reason) -> retries.add(position + " " + call + ": " + reason))
              .gatherReturningExceptions(
                  List.of(Call.of(never, 6L), Call.of(never, 1L), Call.of(never, 7L)))
              .toCompletableFuture()
              .orTimeout(60, TimeUnit.SECONDS)
              .join();
      assertEquals(6L, done.get(0));
      assertEquals(7L, done.get(2));
      TaskFailedException failed = assertInstanceOf(TaskFailedException.class, done.error(1));
      assertEquals("ChunkTimedOut", failed.remoteError().type(), failed.toString());
      assertEquals(2, retries.size(), retries.toString());
      assertTrue(
          retries.stream()
              .allMatch(
                  r ->
                      r.startsWith("1 test-never-on-one:1: ") && r.contains("passed its deadline")),
          retries.toString());
    }
  }
}
