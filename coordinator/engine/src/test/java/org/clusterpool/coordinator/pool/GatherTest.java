package org.clusterpool.coordinator.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.clusterpool.coordinator.testtasks.Hold;
import org.clusterpool.node.catalog.TaskCatalog;
import org.clusterpool.node.task.builtin.BuiltinTasks;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/** asyncio's semantics on the embedded pool: order, failures, cancellation, timeouts, limits. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class GatherTest {
  private final ClusterPool pool = ClusterPool.embedded(2);

  @SuppressWarnings("unchecked")
  private final org.clusterpool.node.task.AsyncTask<Double, Double> hold =
      (org.clusterpool.node.task.AsyncTask<Double, Double>) TaskCatalog.shared().get("test-hold");

  @BeforeEach
  void reset() {
    Hold.reset();
  }

  @AfterAll
  void stop() {
    pool.terminate();
    pool.join(Duration.ofSeconds(10));
  }

  private static void awaitCondition(java.util.function.BooleanSupplier condition) {
    assertTimeoutPreemptively(
        Duration.ofSeconds(20),
        () -> {
          while (!condition.getAsBoolean()) Thread.sleep(10);
        });
  }

  @Test
  void resultsComeInArgumentOrderWhateverOrderTheyFinishIn() {
    Call<Double> slow = Call.of(BuiltinTasks.SLEEP, 0.6);
    Call<Double> fast = Call.of(BuiltinTasks.SLEEP, 0.0);
    Call<Long> fib = Call.of(BuiltinTasks.FIB, 20L);
    Gathered done = ClusterPool.await(pool.gather(slow, fast, fib));
    assertEquals(List.of(0.6, 0.0, 6765L), done.values());
    double typed = done.get(slow);
    assertEquals(0.6, typed);
    assertEquals(6765L, done.get(fib));
    assertTrue(done.worker(0).startsWith("worker-"), done.worker(0));
  }

  @Test
  void asCompletedYieldsInCompletionOrder() {
    List<Integer> order = new ArrayList<>();
    try (Gather.AsCompleted completed =
        pool.asCompleted(
            Call.of(BuiltinTasks.SLEEP, 0.8),
            Call.of(BuiltinTasks.SLEEP, 0.0),
            Call.of(BuiltinTasks.SLEEP, 0.4))) {
      completed.forEachRemaining(c -> order.add(c.position()));
    }
    assertEquals(List.of(1, 2, 0), order);
  }

  @Test
  void theFirstFailureFailsTheGatherAndTheOthersGoOn() {
    CompletionException e =
        assertThrows(
            CompletionException.class,
            () ->
                pool.gather(Call.of(hold, 0.5), Call.of(BuiltinTasks.FAIL, "boom"))
                    .toCompletableFuture()
                    .join());
    TaskFailedException failed = assertInstanceOf(TaskFailedException.class, e.getCause());
    assertEquals(1, failed.position(), "the call's position among the gathered ones");
    assertEquals("boom", failed.remoteError().message());
    awaitCondition(
        () -> Hold.FINISHED.get() == 1); // like asyncio, the other call was not cancelled
  }

  @Test
  void returnExceptionsPutsFailuresInPlace() {
    Gathered done =
        ClusterPool.await(
            pool.gatherReturningExceptions(
                Call.of(BuiltinTasks.FIB, 25L),
                Call.of(BuiltinTasks.FAIL, "boom"),
                Call.of(BuiltinTasks.SQUARE, 7L)));
    assertEquals(75025L, done.values().get(0));
    assertInstanceOf(TaskFailedException.class, done.values().get(1));
    assertEquals(49L, done.values().get(2));
    assertThrows(TaskFailedException.class, () -> done.get(1));
  }

  @Test
  void aTaskGroupCancelsTheRestOnItsWorkersAtTheFirstFailure() {
    CompletableFuture<Gathered> group =
        pool.taskGroup(
                Call.of(hold, 600.0),
                Call.of(hold, 600.0),
                Call.of(BuiltinTasks.FAIL, "first"),
                Call.of(hold, 600.0))
            .toCompletableFuture();
    CompletionException e = assertThrows(CompletionException.class, group::join);
    TaskGroupException groupError = assertInstanceOf(TaskGroupException.class, e.getCause());
    assertEquals(1, groupError.failures().size());
    assertTrue(groupError.getMessage().contains("3 cancelled"), groupError.getMessage());
    awaitCondition(
        () ->
            Hold.WAITS.size() == 3 && Hold.WAITS.stream().allMatch(CompletableFuture::isCancelled));
    assertEquals(0, Hold.FINISHED.get());
  }

  @Test
  void waitForCancelsTheCallAndNamesIt() {
    CompletionException e =
        assertThrows(
            CompletionException.class,
            () ->
                pool.waitFor(Call.of(hold, 600.0), Duration.ofMillis(300))
                    .toCompletableFuture()
                    .join());
    CallTimeoutException timeout = assertInstanceOf(CallTimeoutException.class, e.getCause());
    assertEquals(List.of("test-hold:600.0"), timeout.unfinished());
    awaitCondition(() -> Hold.WAITS.size() == 1 && Hold.WAITS.peek().isCancelled());
    assertEquals(
        0.0,
        ClusterPool.await(pool.waitFor(Call.of(BuiltinTasks.SLEEP, 0.0), Duration.ofSeconds(10))));
  }

  @Test
  void cancellingAGatherCancelsItsChildrenOnTheirWorkers() {
    CompletableFuture<Gathered> gathered =
        pool.gather(Call.of(hold, 600.0), Call.of(hold, 600.0)).toCompletableFuture();
    awaitCondition(() -> Hold.WAITS.size() == 2);
    gathered.cancel(true);
    assertThrows(CancellationException.class, gathered::join);
    awaitCondition(() -> Hold.WAITS.stream().allMatch(CompletableFuture::isCancelled));
  }

  @Test
  void aLimitBoundsHowManyCallsRunAtOnce() {
    List<Call<?>> calls = new ArrayList<>();
    for (int i = 0; i < 12; i++) calls.add(Call.of(hold, 0.05));
    Gathered done = ClusterPool.await(Gather.on(pool).limit(3).gather(calls));
    assertEquals(12, done.size());
    assertEquals(12, Hold.FINISHED.get());
    assertTrue(Hold.MOST_AT_ONCE.get() <= 3, "at most 3 at once, saw " + Hold.MOST_AT_ONCE.get());
  }

  @Test
  void aGatherWhoseWorkerStopsMidFlightStillCompletes() throws Exception {
    List<Call<?>> calls = new ArrayList<>();
    for (int i = 0; i < 6; i++) calls.add(Call.of(hold, 1.0));
    CompletableFuture<Gathered> gathered = pool.gather(calls).toCompletableFuture();
    awaitCondition(() -> Hold.WAITS.size() == 6);
    String victim =
        pool.status(Duration.ofSeconds(5)).workers().stream()
            .filter(w -> w.asyncCallsInFlight() > 0)
            .findFirst()
            .orElseThrow()
            .info()
            .name();
    // stop that worker actor with calls in flight, as a crash would
    org.apache.pekko.actor.ActorRef worker =
        pool.system()
            .classicSystem()
            .actorSelection("/system/workers/" + victim)
            .resolveOne(Duration.ofSeconds(5))
            .toCompletableFuture()
            .join();
    worker.tell(
        org.apache.pekko.actor.PoisonPill.getInstance(),
        org.apache.pekko.actor.ActorRef.noSender());
    Gathered done = gathered.get(30, java.util.concurrent.TimeUnit.SECONDS);
    assertEquals(6, done.size());
    assertTrue(Hold.WAITS.size() > 6, "the lost calls ran again elsewhere");
    // the node replaced its stopped worker: the pool has two again
    awaitCondition(() -> pool.status(Duration.ofSeconds(5)).workers().size() == 2);
  }

  @Test
  void anInputTooLargeForAMessageFailsAloneNamingTheLimit() {
    ClusterPool small =
        ClusterPool.embedded(
            1,
            com.typesafe.config.ConfigFactory.parseString(
                "clusterpool.input.max-text-length = 10000000\n"
                    + "clusterpool.chunk.max-bytes = 64 KiB"));
    try {
      String huge = "x".repeat(100_000);
      Gathered done =
          ClusterPool.await(
              small.gatherReturningExceptions(
                  Call.of(BuiltinTasks.SQUARE, 3L),
                  Call.of(BuiltinTasks.FAIL, huge),
                  Call.of(BuiltinTasks.FAIL, "small")));
      assertEquals(9L, done.values().get(0));
      TaskFailedException refused =
          assertInstanceOf(TaskFailedException.class, done.values().get(1));
      assertEquals("MessageTooLarge", refused.remoteError().type());
      assertTrue(
          refused.remoteError().message().contains("clusterpool.chunk.max-bytes"),
          refused.remoteError().message());
      assertEquals(
          "small",
          assertInstanceOf(TaskFailedException.class, done.values().get(2))
              .remoteError()
              .message());
    } finally {
      small.terminate();
    }
  }

  @Test
  void tenThousandWaitsOnTwoWorkersAllComplete() {
    List<Call<?>> calls = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) calls.add(Call.of(hold, 0.5));
    Gathered done = ClusterPool.await(pool.gather(calls));
    assertEquals(10_000, done.size());
    assertTrue(
        Hold.MOST_AT_ONCE.get() > 2,
        "more waits at once than there are worker threads: " + Hold.MOST_AT_ONCE.get());
  }
}
