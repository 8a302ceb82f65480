package org.clusterpool.coordinator.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.clusterpool.node.task.builtin.BuiltinTasks;
import org.clusterpool.node.task.builtin.WhoAmI;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * What a {@link ClusterPool} means, whichever way it was made: each kind runs these same tests
 * ({@link EmbeddedPoolSemanticsTest}, {@link LocalPoolSemanticsTest}, {@link
 * ConnectedPoolSemanticsTest}). Where the HTTP transport differs, the difference is the documented
 * limit of {@link ConnectedPool}, and the test says which.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
abstract class PoolSemantics {
  /** 3_037_000_500 squared does not fit in a long: the square task fails on it. */
  static final long OVERFLOWS = 3_037_000_500L;

  ClusterPool pool;

  /** The pool that most tests share. */
  abstract ClusterPool open();

  /** A pool of its own, for the tests that close or terminate it. */
  abstract ClusterPool openAnother();

  /**
   * Whether an imap goes on after a failed input (the HTTP API ends a map job at its first
   * failure).
   */
  boolean imapGoesOnAfterAFailure() {
    return true;
  }

  @BeforeAll
  void start() {
    pool = open();
  }

  @AfterAll
  void stop() {
    if (pool != null) {
      pool.terminate();
      pool.join(Duration.ofSeconds(60));
    }
  }

  @Test
  void theJvmThatHoldsThePoolIsNeverEndedByAFatalError() {
    // this JVM is the application's: a fatal error stops the pool at most (a pool connected over
    // HTTP has no actor system here, so nothing of it can end this JVM)
    if (!hasActorSystem()) return;
    assertFalse(pool.system().settings().config().getBoolean("pekko.jvm-exit-on-fatal-error"));
  }

  /** Whether the pool runs an actor system in this JVM (a connected pool has none). */
  boolean hasActorSystem() {
    return true;
  }

  @Test
  void mapKeepsTheInputOrder() {
    List<Long> inputs = new ArrayList<>();
    for (long i = 1; i <= 2000; i++) inputs.add(i);
    List<Long> squares = pool.map(BuiltinTasks.SQUARE, inputs, 7);
    for (int i = 0; i < inputs.size(); i++)
      assertEquals(inputs.get(i) * inputs.get(i), squares.get(i));
    assertEquals(
        List.of(8L, 81L), pool.starmap(BuiltinTasks.POW, List.of(List.of(2, 3), List.of(3, 4))));
    assertEquals(144L, pool.apply(BuiltinTasks.SQUARE, 12L));
  }

  /**
   * A range that ends at Long.MAX_VALUE has no value after its last: counting to one past it
   * wrapped to Long.MIN_VALUE, and the job never ended.
   */
  @Test
  void rangesAtTheEndsOfLongEndWithEveryResultOnce() {
    long max = Long.MAX_VALUE;
    long min = Long.MIN_VALUE;
    for (List<Long> range :
        List.of(Inputs.range(max - 4, max), Inputs.range(max, max), Inputs.range(min, min + 2))) {
      for (int chunksize : new int[] {1, 2, 10}) {
        List<Long> inputs =
            pool.map(BuiltinTasks.WHOAMI, range, chunksize).stream()
                .map(WhoAmI.Answer::input)
                .toList();
        assertEquals(List.copyOf(range), inputs, range + " in chunks of " + chunksize);
      }
      List<Long> streamed = new ArrayList<>();
      pool.imap(BuiltinTasks.WHOAMI, range, 1).forEachRemaining(a -> streamed.add(a.input()));
      assertEquals(List.copyOf(range), streamed, range + " through imap");
    }
  }

  @Test
  void aFailedInputIsNamedWithItsPosition() {
    TaskFailedException e =
        assertThrows(
            TaskFailedException.class,
            () -> pool.map(BuiltinTasks.SQUARE, List.of(1L, 2L, OVERFLOWS, 4L), 1));
    assertEquals("square", e.task());
    assertEquals(2, e.position());
    assertEquals(Long.toString(OVERFLOWS), e.input());
    CompletionException async =
        assertThrows(
            CompletionException.class,
            () -> pool.applyAsync(BuiltinTasks.SQUARE, OVERFLOWS).toCompletableFuture().join());
    assertInstanceOf(TaskFailedException.class, async.getCause());
  }

  @Test
  void imapYieldsInOrderAndAFailureAtItsPlace() {
    try (ResultIterator<Long> results =
        pool.imap(BuiltinTasks.SQUARE, List.of(1L, 2L, OVERFLOWS, 4L), 1)) {
      assertEquals(1L, results.next());
      assertEquals(4L, results.next());
      TaskFailedException e = assertThrows(TaskFailedException.class, results::next);
      assertEquals(2, e.position());
      assertEquals(2, results.position());
      if (imapGoesOnAfterAFailure()) {
        assertEquals(16L, results.next());
      }
      assertFalse(results.hasNext());
    }
  }

  @Test
  void imapUnorderedYieldsEveryResultOnce() {
    List<Long> squares = new ArrayList<>();
    pool.imapUnordered(BuiltinTasks.SQUARE, Inputs.range(1, 500), 3).forEachRemaining(squares::add);
    squares.sort(null);
    List<Long> expected = new ArrayList<>();
    for (long i = 1; i <= 500; i++) expected.add(i * i);
    assertEquals(expected, squares);
  }

  @Test
  void imapReadsItsInputAsTheConsumerGoes() {
    AtomicLong produced = new AtomicLong();
    long total =
        400_000; // well beyond a window (65,536 inputs in an embedded pool, two pages of 10,000
    // over HTTP)
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
    try (ResultIterator<Long> results = pool.imap(BuiltinTasks.SQUARE, generated, 10)) {
      assertEquals(1L, results.next());
      long readAtFirst = produced.get();
      assertTrue(
          readAtFirst < total / 4,
          "read " + readAtFirst + " of " + total + " inputs before the first result");
      long consumed = 1;
      long mostAhead = 0;
      while (results.hasNext()) {
        long x = ++consumed;
        assertEquals(x * x, results.next());
        assertEquals(x - 1, results.position());
        mostAhead = Math.max(mostAhead, produced.get() - consumed);
      }
      assertTrue(mostAhead < total / 4, "read " + mostAhead + " inputs ahead of the consumer");
      assertEquals(total, consumed);
    }
  }

  /** 1, 2, 3, ... then, at {@code failAt}, the iterator throws. */
  private static Iterable<Long> breaksAt(long failAt) {
    return () ->
        new Iterator<>() {
          private long next = 1;

          @Override
          public boolean hasNext() {
            return true;
          }

          @Override
          public Long next() {
            if (next == failAt) throw new IllegalStateException("the source broke at " + failAt);
            return next++;
          }
        };
  }

  @Test
  void anInputThatBreaksGivesTheResultsBeforeItThenItsError() {
    long failAt = 20_001; // beyond the first window: its inputs are read while results come
    long consumed = 0;
    try (ResultIterator<Long> results = pool.imap(BuiltinTasks.SQUARE, breaksAt(failAt), 10)) {
      while (consumed < failAt - 1) {
        long x = ++consumed;
        assertEquals(x * x, results.next(), "result " + x);
      }
      IllegalStateException broke = assertThrows(IllegalStateException.class, results::next);
      assertEquals("the source broke at " + failAt, broke.getMessage());
    }
    assertEquals(failAt - 1, consumed, "every result before the failure, once");
    IllegalStateException map =
        assertThrows(
            IllegalStateException.class, () -> pool.map(BuiltinTasks.SQUARE, breaksAt(700), 7));
    assertEquals("the source broke at 700", map.getMessage());
    IllegalStateException first =
        assertThrows(
            IllegalStateException.class,
            () -> pool.imap(BuiltinTasks.SQUARE, breaksAt(1), 7).forEachRemaining(x -> {}));
    assertEquals("the source broke at 1", first.getMessage());
    assertEquals(List.of(4L), pool.map(BuiltinTasks.SQUARE, List.of(2L)), "the pool goes on");
  }

  @Test
  void gatherReturningExceptionsKeepsEveryOutcomeAtItsPlace() {
    Call<Long> three = Call.of(BuiltinTasks.SQUARE, 3L);
    Call<String> boom = Call.of(BuiltinTasks.FAIL, "boom");
    Call<Long> four = Call.of(BuiltinTasks.SQUARE, 4L);
    Gathered gathered = ClusterPool.await(pool.gatherReturningExceptions(three, boom, four));
    assertEquals(9L, gathered.get(three));
    assertEquals(16L, gathered.get(four));
    TaskFailedException e = assertInstanceOf(TaskFailedException.class, gathered.error(1));
    assertEquals(1, e.position());
    assertEquals("boom", e.input());
    CompletionException plain =
        assertThrows(
            CompletionException.class,
            () -> pool.gather(three, boom, four).toCompletableFuture().join());
    assertInstanceOf(TaskFailedException.class, plain.getCause());
  }

  @Test
  void aCallPastItsTimeoutFailsAndIsCancelled() {
    CompletionException e =
        assertThrows(
            CompletionException.class,
            () ->
                pool.waitFor(Call.of(BuiltinTasks.SLEEP, 30.0), Duration.ofMillis(300))
                    .toCompletableFuture()
                    .join());
    assertInstanceOf(CallTimeoutException.class, e.getCause());
    assertEquals(
        0.5,
        pool.waitFor(Call.of(BuiltinTasks.SLEEP, 0.5), Duration.ofSeconds(30))
            .toCompletableFuture()
            .join());
  }

  @Test
  void closingAnIteratorCancelsTheRestOfItsJob() {
    ResultIterator<Double> results =
        pool.imap(BuiltinTasks.SLEEP_BLOCKING, List.of(0.0, 30.0, 30.0, 30.0, 30.0, 30.0), 1);
    assertEquals(0.0, results.next());
    results.close();
    // the 30-second sleeps were cancelled on the workers: the job leaves the coordinator long
    // before they would end
    assertTimeoutPreemptively(
        Duration.ofSeconds(20),
        () -> {
          while (!pool.status(Duration.ofSeconds(5)).jobs().isEmpty()) Thread.sleep(50);
        });
    assertTimeoutPreemptively(
        Duration.ofSeconds(20),
        () -> assertEquals(List.of(4L), pool.map(BuiltinTasks.SQUARE, List.of(2L))));
  }

  @Test
  void closeLetsRunningWorkFinishThenJoinReturns() throws Exception {
    ClusterPool other = openAnother();
    try {
      CompletableFuture<Double> running =
          other.applyAsync(BuiltinTasks.SLEEP, 0.5).toCompletableFuture();
      assertThrows(IllegalStateException.class, other::join, "join needs close or terminate first");
      other.close();
      assertThrows(IllegalStateException.class, () -> other.map(BuiltinTasks.SQUARE, List.of(3L)));
      assertTrue(other.join(Duration.ofSeconds(60)), "the pool stops once its work is done");
      assertEquals(
          0.5, running.get(1, TimeUnit.SECONDS), "the work submitted before close finished");
    } finally {
      other.terminate();
    }
  }

  @Test
  void closeAfterLeavingAnImapEarlyLetsItRunToItsEndThenJoinReturns() {
    ClusterPool other = openAnother();
    try {
      // far more inputs than the window of chunks an unread iterator holds back (65 of 1000 here)
      long n = 300_000;
      ResultIterator<Long> squares = other.imap(BuiltinTasks.SQUARE, Inputs.range(1, n), 1000);
      for (long x = 1; x <= 3; x++) assertEquals(x * x, squares.next());
      // the loop is left, the iterator kept and not read: close must not wait for its reader
      other.close();
      assertTrue(other.join(Duration.ofSeconds(60)), "the pool stops once the imap has ended");
      assertTrue(other.engine().whenStopped().toCompletableFuture().isDone());
      assertStopped(other);
      // its results were kept for the iterator: every one of them, once, in order
      assertTimeoutPreemptively(
          Duration.ofSeconds(60),
          () -> {
            long x = 3;
            while (squares.hasNext()) {
              long square = squares.next();
              x++;
              assertEquals(x * x, square);
            }
            assertEquals(n, x);
          });
    } finally {
      other.terminate();
    }
  }

  /** What a stopped pool leaves: each kind checks what it started is gone. */
  void assertStopped(ClusterPool stopped) {}

  @Test
  void anInterruptedMapIsCancelledAndThePoolRunsTheNextJob() throws Exception {
    CompletableFuture<Throwable> thrown = new CompletableFuture<>();
    AtomicBoolean stillInterrupted = new AtomicBoolean();
    Thread caller =
        new Thread(
            () -> {
              try {
                pool.map(BuiltinTasks.SLEEP_BLOCKING, Collections.nCopies(4, 30.0), 1);
                thrown.complete(null);
              } catch (Throwable e) {
                stillInterrupted.set(Thread.currentThread().isInterrupted());
                thrown.complete(e);
              }
            },
            "interrupted-map");
    caller.start();
    Thread.sleep(500); // most likely in its wait by now; an interrupt before it counts the same
    caller.interrupt();
    caller.join(20_000);
    assertFalse(caller.isAlive(), "the interrupted map returns long before its 30 s sleeps");
    Throwable error = thrown.get(1, TimeUnit.SECONDS);
    CancellationException cancelled = assertInstanceOf(CancellationException.class, error);
    assertTrue(cancelled.getMessage().contains("interrupted"), cancelled.getMessage());
    assertTrue(stillInterrupted.get(), "the thread's interrupt flag stays set");
    // the job was cancelled on the workers: it leaves the coordinator, and the pool runs the next
    assertTimeoutPreemptively(
        Duration.ofSeconds(20),
        () -> {
          while (!pool.status(Duration.ofSeconds(5)).jobs().isEmpty()) Thread.sleep(50);
        });
    assertTimeoutPreemptively(
        Duration.ofSeconds(20),
        () -> assertEquals(List.of(4L, 9L), pool.map(BuiltinTasks.SQUARE, List.of(2L, 3L))));
  }

  @Test
  void terminateCancelsRunningWork() {
    ClusterPool other = openAnother();
    try {
      CompletableFuture<Double> running =
          other.applyAsync(BuiltinTasks.SLEEP, 60.0).toCompletableFuture();
      other.terminate();
      assertTrue(other.join(Duration.ofSeconds(60)));
      assertThrows(
          CancellationException.class,
          () -> ClusterPool.await(running.orTimeout(30, TimeUnit.SECONDS)));
    } finally {
      other.terminate();
    }
  }

  /**
   * An imap whose iterator is dropped stops, rather than run to its end after close() with its
   * results kept for nobody (the heap filled, the JVM never exited): the closed pool then stops.
   */
  @Test
  void aDroppedImapStopsSoAClosedPoolStops() {
    ClusterPool other = openAnother();
    try {
      // 20,000 inputs of 50 ms on one worker: over 15 minutes if the job ran to its end
      readOneAndDrop(other);
      other.close();
      assertTimeoutPreemptively(
          Duration.ofSeconds(60),
          () -> {
            do System.gc(); // the iterator is found unreachable
            while (!other.join(Duration.ofMillis(200)));
          },
          "a closed pool whose only job's iterator was dropped stops");
      assertStopped(other);
    } finally {
      other.terminate();
    }
  }

  /** Reads one result, then lets the iterator go: nothing refers to it once this returns. */
  private static void readOneAndDrop(ClusterPool pool) {
    ResultIterator<Double> it =
        pool.imap(BuiltinTasks.SLEEP_BLOCKING, Collections.nCopies(20_000, 0.05), 1);
    assertEquals(0.05, it.next());
  }
}
