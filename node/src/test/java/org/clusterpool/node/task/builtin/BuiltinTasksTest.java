package org.clusterpool.node.task.builtin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.clusterpool.node.catalog.TaskCatalog;
import org.clusterpool.node.task.Task;
import org.clusterpool.node.task.TaskContext;
import org.clusterpool.node.task.TaskFailure;
import org.clusterpool.node.task.TaskKind;
import org.junit.jupiter.api.Test;

class BuiltinTasksTest {

  /** A context for calling tasks directly, outside any worker. */
  private static TaskContext at(long index) {
    Map<String, Long> globals = new HashMap<>();
    return new TaskContext() {
      @Override
      public String workerName() {
        return "worker-test";
      }

      @Override
      public String nodeAddress() {
        return "pekko://test";
      }

      @Override
      public long pid() {
        return 7;
      }

      @Override
      public String jobId() {
        return "j";
      }

      @Override
      public long inputIndex() {
        return index;
      }

      @Override
      public boolean isCancelled() {
        return false;
      }

      @Override
      public boolean hostsCoordinator() {
        return true;
      }

      @Override
      public CompletableFuture<Void> sleep(Duration delay) {
        return CompletableFuture.completedFuture(null);
      }

      @Override
      public Map<String, Long> globals() {
        return globals;
      }
    };
  }

  @Test
  void theCatalogHoldsEveryBuiltInTask() throws Exception {
    assertEquals(
        List.of(
            "count-primes",
            "fail",
            "fib",
            "halt",
            "increment",
            "is-prime",
            "mailbox-consumer",
            "monte-carlo-pi",
            "pipe-echo",
            "pow",
            "queue-put",
            "queue-take",
            "sha256",
            "sleep",
            "sleep-blocking",
            "square",
            "whoami"),
        TaskCatalog.shared().names());
    assertEquals(TaskKind.ASYNC, TaskCatalog.shared().get("sleep").kind());
    assertEquals(TaskKind.CPU, TaskCatalog.shared().get("sleep-blocking").kind());
    IllegalArgumentException unknown =
        assertThrows(IllegalArgumentException.class, () -> TaskCatalog.shared().get("carre"));
    assertTrue(
        unknown.getMessage().startsWith("unknown task 'carre': accepted: count-primes, fail,"),
        unknown.getMessage());
  }

  @Test
  void tasksSayWhetherTheyCheckTheirInputs() {
    assertFalse(Task.validates(BuiltinTasks.SQUARE));
    assertTrue(Task.validates(BuiltinTasks.FIB));
    assertTrue(Task.validates(BuiltinTasks.SLEEP));
  }

  @Test
  void incrementCountsInTheCallingWorkersOwnCounterOnly() throws Exception {
    TaskContext one = at(0);
    TaskContext other = at(0);
    assertEquals(1, BuiltinTasks.INCREMENT.apply(1L, one).counter());
    assertEquals(6, BuiltinTasks.INCREMENT.apply(5L, one).counter());
    assertEquals(
        2,
        BuiltinTasks.INCREMENT.apply(2L, other).counter(),
        "another worker's counter starts at 0");
    assertEquals(6L, one.globals().get(Increment.COUNTER));
    assertThrows(
        ArithmeticException.class, () -> BuiltinTasks.INCREMENT.apply(Long.MAX_VALUE, one));
  }

  @Test
  void theQueueAndPipeTasksCheckTheirArguments() {
    assertEquals(
        new QueuePut.Args("jobs", 1, 100), BuiltinTasks.QUEUE_PUT.inputType().parse("jobs,1,100"));
    assertEquals(
        new QueueTake.Args("jobs", 0, 0.01),
        BuiltinTasks.QUEUE_TAKE.inputType().parse("jobs,0,0.01"));
    assertEquals(new PipeEcho.Args("ping", 0), BuiltinTasks.PIPE_ECHO.inputType().parse("ping,0"));
    IllegalArgumentException count =
        assertThrows(
            IllegalArgumentException.class,
            () -> BuiltinTasks.QUEUE_PUT.inputType().parse("jobs,1,-1"));
    assertTrue(count.getMessage().contains("accepted 0..10000000"), count.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> BuiltinTasks.QUEUE_TAKE.inputType().parse("jobs,0,11"));
    assertThrows(
        IllegalArgumentException.class, () -> BuiltinTasks.PIPE_ECHO.inputType().parse("ping,-1"));
  }

  @Test
  void squareFailsOnOverflowInsteadOfWrapping() throws Exception {
    assertEquals(25, BuiltinTasks.SQUARE.applyAsLong(5, at(0)));
    assertEquals(
        9_223_372_030_926_249_001L, BuiltinTasks.SQUARE.applyAsLong(3_037_000_499L, at(0)));
    assertThrows(
        ArithmeticException.class, () -> BuiltinTasks.SQUARE.applyAsLong(3_037_000_500L, at(0)));
  }

  @Test
  void countPrimesAgreesWithTrialDivision() throws Exception {
    long count = 0;
    for (long n = 0; n <= 3000; n++) {
      assertEquals(count, BuiltinTasks.COUNT_PRIMES.applyAsLong(n, at(0)), "primes below " + n);
      if (naivePrime(n)) count++;
    }
    assertEquals(78_498, BuiltinTasks.COUNT_PRIMES.applyAsLong(1_000_000, at(0)));
    assertThrows(IllegalArgumentException.class, () -> BuiltinTasks.COUNT_PRIMES.validate(-1L));
  }

  @Test
  void isPrimeIsExactOnSmallAndLargeNumbers() throws Exception {
    for (long n = -5; n < 5000; n++)
      assertEquals(naivePrime(n), BuiltinTasks.IS_PRIME.apply(n, at(0)), "n = " + n);
    assertTrue(
        BuiltinTasks.IS_PRIME.apply(9_223_372_036_854_775_783L, at(0))); // the largest 64-bit prime
    assertFalse(
        BuiltinTasks.IS_PRIME.apply(
            3_215_031_751L, at(0))); // a strong pseudoprime to bases 2, 3, 5, 7
  }

  @Test
  void fibIsRefusedPastItsLimit() throws Exception {
    assertEquals(832_040, BuiltinTasks.FIB.applyAsLong(30, at(0)));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> BuiltinTasks.FIB.validate(51L));
    assertTrue(e.getMessage().contains("accepted 0..50"), e.getMessage());
  }

  @Test
  void monteCarloIsSeededByPosition() throws Exception {
    long first = BuiltinTasks.MONTE_CARLO_PI.applyAsLong(100_000, at(0));
    assertEquals(first, BuiltinTasks.MONTE_CARLO_PI.applyAsLong(100_000, at(0)));
    assertNotEquals(first, BuiltinTasks.MONTE_CARLO_PI.applyAsLong(100_000, at(1)));
    assertEquals(Math.PI, 4.0 * first / 100_000, 0.05);
  }

  @Test
  void sha256HashesTheTextOfTheInput() throws Exception {
    // sha256("1"), one round
    assertEquals(
        "6b86b273ff34fce19d6b804eff5a3f5747ada4eaa22f1d49c01e52ddb7875b4b",
        BuiltinTasks.SHA256.apply(1L, at(0)));
  }

  @Test
  void failThrowsTheGivenMessage() throws Exception {
    TaskFailure failure =
        assertThrows(TaskFailure.class, () -> BuiltinTasks.FAIL.apply("boom", at(0)));
    assertEquals("boom", failure.getMessage());
  }

  @Test
  void haltRefusesToEndTheCoordinatorsJvm() throws Exception {
    assertEquals(5, BuiltinTasks.HALT.applyAsLong(5, at(0)));
    TaskFailure refused =
        assertThrows(TaskFailure.class, () -> BuiltinTasks.HALT.applyAsLong(0, at(0)));
    assertTrue(refused.getMessage().contains("--nodes N"), refused.getMessage());
  }

  @Test
  void whoamiAndPowAnswer() throws Exception {
    assertEquals(
        new WhoAmI.Answer(3, "worker-test", "pekko://test", 7),
        BuiltinTasks.WHOAMI.apply(3L, at(0)));
    assertEquals(1024L, BuiltinTasks.POW.apply(new Pow.Args(2, 10), at(0)));
    assertThrows(
        ArithmeticException.class, () -> BuiltinTasks.POW.apply(new Pow.Args(10, 30), at(0)));
  }

  @Test
  void sleepsAreBoundedAndAnswerWithTheirSeconds() throws Exception {
    assertEquals(0.5, BuiltinTasks.SLEEP.apply(0.5, at(0)).toCompletableFuture().join());
    for (Task<Double, Double> sleep : List.of(BuiltinTasks.SLEEP, BuiltinTasks.SLEEP_BLOCKING)) {
      assertThrows(IllegalArgumentException.class, () -> sleep.validate(-1.0));
      assertThrows(IllegalArgumentException.class, () -> sleep.validate(3601.0));
    }
  }

  private static boolean naivePrime(long n) {
    if (n < 2) return false;
    for (long d = 2; d * d <= n; d++) if (n % d == 0) return false;
    return true;
  }
}
