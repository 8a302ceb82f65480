package org.clusterpool.coordinator.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import org.clusterpool.node.task.builtin.BuiltinTasks;
import org.clusterpool.node.task.builtin.Pow;
import org.clusterpool.node.task.builtin.WhoAmI;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The embedded pool end to end: real actors, every message through the serializer
 * (serialize-messages = on).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class ClusterPoolTest {

  private final ClusterPool pool = ClusterPool.embedded(2);

  @AfterAll
  void stop() {
    pool.terminate();
    assertTrue(pool.join(Duration.ofSeconds(10)));
  }

  @Test
  void mapsAHundredThousandInputsInOrder() {
    List<Long> inputs = LongStream.rangeClosed(-50_000, 49_999).boxed().toList();
    List<Long> squares = pool.map(BuiltinTasks.SQUARE, inputs);
    assertEquals(inputs.size(), squares.size());
    for (int i = 0; i < inputs.size(); i++)
      assertEquals(inputs.get(i) * inputs.get(i), squares.get(i), "input " + inputs.get(i));
  }

  @Test
  void mapsRangesWithAnyChunkSize() {
    for (int chunksize : new int[] {0, 1, 7, 100_000}) {
      List<Long> primes =
          chunksize == 0 // 0: left out, chosen for you (given, it must be at least 1, as in Python)
              ? pool.map(BuiltinTasks.COUNT_PRIMES, Inputs.range(1, 500))
              : pool.map(BuiltinTasks.COUNT_PRIMES, Inputs.range(1, 500), chunksize);
      assertEquals(500, primes.size());
      assertEquals(0L, primes.get(1), "below 2");
      assertEquals(95L, primes.get(499), "below 500, chunksize " + chunksize);
    }
  }

  @Test
  void aFailingInputFailsTheMapAndNamesTheInput() {
    TaskFailedException e =
        assertThrows(
            TaskFailedException.class,
            () -> pool.map(BuiltinTasks.SQUARE, List.of(1L, 2L, 3_037_000_500L, 4L), 1));
    assertEquals("square", e.task());
    assertEquals(2, e.position());
    assertEquals("3037000500", e.input());
    assertEquals("java.lang.ArithmeticException", e.remoteError().type());
    assertTrue(
        e.getMessage()
            .startsWith(
                "task 'square' failed on input 3037000500 (position 2): ArithmeticException: long"
                    + " overflow"),
        e.getMessage());
    assertFalse(e.remoteStack().isEmpty(), "the worker's stack comes with the error");
    // the workers go on
    assertEquals(List.of(1L, 4L), pool.map(BuiltinTasks.SQUARE, List.of(1L, 2L)));
  }

  @Test
  void anInvalidInputIsRefusedBeforeAnyWork() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> pool.map(BuiltinTasks.FIB, List.of(3L, 99L)));
    assertTrue(
        e.getMessage().startsWith("input at position 1: fib: n = 99 is out of range"),
        e.getMessage());
  }

  @Test
  void imapStreamsInOrderAndAFailureShowsAtItsPlace() {
    List<String> messages = List.of("a", "b", "c");
    try (ResultIterator<String> results = pool.imap(BuiltinTasks.FAIL, messages, 1)) {
      for (String message : messages) {
        assertTrue(results.hasNext());
        TaskFailedException e = assertThrows(TaskFailedException.class, results::next);
        assertEquals(message, e.remoteError().message());
      }
      assertFalse(results.hasNext());
    }
    List<Long> out = new ArrayList<>();
    pool.imap(BuiltinTasks.SQUARE, Inputs.range(1, 1000), 3).forEachRemaining(out::add);
    assertEquals(LongStream.rangeClosed(1, 1000).map(x -> x * x).boxed().toList(), out);
  }

  @Test
  void imapUnorderedYieldsEveryResultOnce() {
    Set<Long> seen = new HashSet<>();
    Iterator<Long> results = pool.imapUnordered(BuiltinTasks.SQUARE, Inputs.range(1, 2000), 13);
    while (results.hasNext()) assertTrue(seen.add(results.next()));
    assertEquals(
        LongStream.rangeClosed(1, 2000)
            .map(x -> x * x)
            .boxed()
            .collect(java.util.stream.Collectors.toSet()),
        seen);
  }

  @Test
  void imapReadsALazyInputOnlyAsFarAsItsWindow() {
    AtomicLong produced = new AtomicLong();
    int chunksize = 10;
    long total = 300_000;
    Iterable<Long> generated =
        () ->
            new Iterator<>() {
              @Override
              public boolean hasNext() {
                return produced.get() < total;
              }

              @Override
              public Long next() {
                return produced.incrementAndGet();
              }
            };
    long consumed = 0;
    long mostAhead = 0;
    Iterator<Long> results = pool.imap(BuiltinTasks.SQUARE, generated, chunksize);
    while (results.hasNext()) {
      long x = ++consumed;
      assertEquals(x * x, results.next());
      mostAhead = Math.max(mostAhead, produced.get() - consumed);
    }
    assertEquals(total, consumed);
    long window =
        65_536; // clusterpool.job.window-inputs: small chunks may fill a window of this many inputs
    assertTrue(
        mostAhead <= window + 2L * chunksize,
        "read " + mostAhead + " inputs ahead of the consumer");
  }

  @Test
  void imapStreamsTwoMillionGeneratedInputs() {
    Iterable<Long> generated = () -> LongStream.rangeClosed(1, 2_000_000).iterator();
    long count = 0;
    long sum = 0;
    Iterator<Long> results = pool.imap(BuiltinTasks.SQUARE, generated);
    while (results.hasNext()) {
      sum += results.next();
      count++;
    }
    assertEquals(2_000_000, count);
    long n = 2_000_000;
    assertEquals(n * (n + 1) / 2 * (2 * n + 1) / 3, sum);
  }

  @Test
  void closingAnIteratorCancelsTheRestOfItsJob() {
    ResultIterator<Double> results =
        pool.imap(BuiltinTasks.SLEEP_BLOCKING, List.of(0.0, 30.0, 30.0, 30.0), 1);
    assertEquals(0.0, results.next());
    results.close();
    // the 30-second sleeps were cancelled: the workers are free again
    assertTimeoutPreemptively(
        Duration.ofSeconds(20),
        () -> assertEquals(List.of(4L), pool.map(BuiltinTasks.SQUARE, List.of(2L))));
    assertTimeoutPreemptively(
        Duration.ofSeconds(20),
        () -> {
          while (!pool.status(Duration.ofSeconds(5)).jobs().isEmpty()) Thread.sleep(20);
        });
  }

  @Test
  void starmapTakesArgumentTuples() {
    assertEquals(
        List.of(1024L, 81L, 1L),
        pool.starmap(BuiltinTasks.POW, List.of(List.of(2, 10), List.of(3, 4), List.of(7, 0))));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> pool.starmap(BuiltinTasks.POW, List.of(List.of(1, 2, 3))));
    assertTrue(e.getMessage().startsWith("tuple at position 0 [1, 2, 3]"), e.getMessage());
    assertEquals(List.of(8L), pool.map(BuiltinTasks.POW, List.of(new Pow.Args(2, 3))));
  }

  @Test
  void applyRunsOneInputAndManyRunAtOnce() {
    assertEquals(832_040L, pool.apply(BuiltinTasks.FIB, 30L));
    List<CompletableFuture<Long>> calls = new ArrayList<>();
    for (long i = 0; i < 200; i++)
      calls.add(pool.applyAsync(BuiltinTasks.SQUARE, i).toCompletableFuture());
    for (int i = 0; i < calls.size(); i++) assertEquals((long) i * i, calls.get(i).join());
    CompletionException e =
        assertThrows(
            CompletionException.class,
            () -> pool.applyAsync(BuiltinTasks.FAIL, "nope").toCompletableFuture().join());
    assertTrue(e.getCause() instanceof TaskFailedException);
  }

  @Test
  void severalJobsShareTheWorkersAndAllFinish() {
    List<CompletableFuture<List<Long>>> jobs = new ArrayList<>();
    for (int j = 0; j < 6; j++)
      jobs.add(
          pool.mapAsync(BuiltinTasks.SQUARE, Inputs.range(j * 1000L, j * 1000L + 999), 10)
              .toCompletableFuture());
    for (int j = 0; j < jobs.size(); j++) {
      List<Long> result = jobs.get(j).join();
      assertEquals(1000, result.size());
      long first = j * 1000L;
      assertEquals(first * first, result.get(0));
    }
  }

  @Test
  void theWorkIsSpreadOverTheWorkers() {
    Set<String> workers = new HashSet<>();
    for (WhoAmI.Answer answer : pool.map(BuiltinTasks.WHOAMI, Inputs.range(1, 40), 1))
      workers.add(answer.worker());
    assertEquals(Set.of("worker-1", "worker-2"), workers);
    assertEquals(ProcessHandle.current().pid(), pool.apply(BuiltinTasks.WHOAMI, 1L).pid());
  }

  @Test
  void twoWorkersHoldThousandsOfAsyncCallsAtOnce() throws InterruptedException {
    List<Double> seconds = new ArrayList<>();
    for (int i = 0; i < 3000; i++) seconds.add(250.0);
    try (ResultIterator<Double> results = pool.imap(BuiltinTasks.SLEEP, seconds, 1)) {
      int inFlight = 0;
      for (int tries = 0; tries < 500 && inFlight < seconds.size(); tries++) {
        inFlight =
            pool.status(Duration.ofSeconds(5)).workers().stream()
                .mapToInt(w -> w.asyncCallsInFlight())
                .sum();
        Thread.sleep(20);
      }
      assertEquals(
          seconds.size(), inFlight, "every call waits at once, on two workers with two threads");
    }
    assertTimeoutPreemptively(
        Duration.ofSeconds(20),
        () -> {
          while (pool.status(Duration.ofSeconds(5)).workers().stream()
              .anyMatch(w -> w.asyncCallsInFlight() > 0)) Thread.sleep(20);
        },
        "closing the iterator cancelled the calls");
  }

  @Test
  void aClosedPoolRefusesWorkAndStops() {
    ClusterPool other = ClusterPool.embedded(1);
    assertThrows(IllegalStateException.class, other::join, "join needs close or terminate first");
    assertEquals(List.of(9L), other.map(BuiltinTasks.SQUARE, List.of(3L)));
    other.close();
    assertThrows(IllegalStateException.class, () -> other.map(BuiltinTasks.SQUARE, List.of(3L)));
    assertTrue(other.join(Duration.ofSeconds(10)));
  }

  @Test
  void terminateFailsUnfinishedWork() {
    ClusterPool other = ClusterPool.embedded(1);
    CompletableFuture<List<Double>> running =
        other.mapAsync(BuiltinTasks.SLEEP, List.of(250.0), 1).toCompletableFuture();
    other.terminate();
    assertThrows(CancellationException.class, running::join);
    assertTrue(other.join(Duration.ofSeconds(10)));
  }
}
