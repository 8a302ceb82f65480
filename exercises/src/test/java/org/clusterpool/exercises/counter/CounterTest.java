package org.clusterpool.exercises.counter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.clusterpool.exercises.harness.Harness;
import org.clusterpool.exercises.harness.Implementation;
import org.clusterpool.exercises.harness.Measurement;
import org.clusterpool.exercises.harness.Outcome;
import org.clusterpool.exercises.harness.Verdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The counter references through the real harness: every correct one is exact under many threads,
 * and the unsynchronized one loses updates on every run, because the test forces the interleaving
 * that loses them.
 */
@Timeout(60)
class CounterTest {

  private static final Duration LIMIT = Duration.ofSeconds(30);

  /**
   * How long a forced interleaving waits for the other worker before it gives up (a broken test,
   * not a slow one).
   */
  private static final long STEP_SECONDS = 10;

  static List<Implementation<Counter>> correctReferences() {
    return new CounterExercise()
        .references().stream()
            .filter(i -> !i.name().equals(CounterExercise.UNSYNCHRONIZED))
            .toList();
  }

  @ParameterizedTest
  @MethodSource("correctReferences")
  void keepsTheCountExactUnderEightThreads(Implementation<Counter> reference) {
    CounterParameters parameters = new CounterParameters(8, 200_001);
    Measurement m = Harness.measure(reference, new CounterWorkload(parameters), LIMIT);
    assertEquals(Outcome.Kind.FINISHED, m.outcome().kind(), m.outcome().toString());
    assertTrue(m.correct(), m.verdict().evidence());
    assertEquals("count = 200,001", m.verdict().evidence());
    assertEquals(200_001, m.operations());
  }

  /** Worker 1's whole increment falls between worker 0's read and worker 0's write. */
  static final class OneWriteBetweenReadAndWrite extends UnsynchronizedCounter {
    private final CountDownLatch firstRead = new CountDownLatch(1);
    private final CountDownLatch secondWrote = new CountDownLatch(1);

    @Override
    public void increment(int worker) {
      if (worker == 1) {
        await(firstRead);
        super.increment(worker);
        secondWrote.countDown();
      } else {
        super.increment(worker);
      }
    }

    @Override
    void afterRead(int worker) {
      if (worker == 0) {
        firstRead.countDown();
        await(secondWrote);
      }
    }

    private static void await(CountDownLatch latch) {
      try {
        if (!latch.await(STEP_SECONDS, TimeUnit.SECONDS))
          throw new IllegalStateException("the other worker never came");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  @Test
  void unsynchronizedLosesTheUpdateThatFallsBetweenAReadAndItsWrite() {
    Implementation<Counter> forced =
        Implementation.reference(
            CounterExercise.UNSYNCHRONIZED, "forced", OneWriteBetweenReadAndWrite::new);
    Measurement m =
        Harness.measure(forced, new CounterWorkload(new CounterParameters(2, 2)), LIMIT);
    assertEquals(Outcome.Kind.FINISHED, m.outcome().kind(), m.outcome().toString());
    assertFalse(m.correct());
    assertEquals(1, m.verdict().figure());
    assertEquals("lost 1 update: counted 1 of 2", m.verdict().evidence());
  }

  /**
   * Every worker reads the count, then all write: every round of increments adds one, not one per
   * worker.
   */
  static final class EveryoneReadsBeforeAnyoneWrites extends UnsynchronizedCounter {
    private final CyclicBarrier allRead;

    EveryoneReadsBeforeAnyoneWrites(int workers) {
      allRead = new CyclicBarrier(workers);
    }

    @Override
    void afterRead(int worker) {
      try {
        allRead.await(STEP_SECONDS, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      } catch (BrokenBarrierException | TimeoutException e) {
        throw new IllegalStateException("the other workers never came", e);
      }
    }
  }

  @Test
  void unsynchronizedKeepsOneIncrementOfEachRoundWhenAllReadFirst() {
    Implementation<Counter> forced =
        Implementation.reference(
            CounterExercise.UNSYNCHRONIZED, "forced", () -> new EveryoneReadsBeforeAnyoneWrites(4));
    Measurement m =
        Harness.measure(forced, new CounterWorkload(new CounterParameters(4, 200)), LIMIT);
    assertEquals(Outcome.Kind.FINISHED, m.outcome().kind(), m.outcome().toString());
    assertEquals(150, m.verdict().figure(), "4 workers x 50 rounds: each round counts 1 of 4");
    assertEquals("lost 150 updates: counted 50 of 200", m.verdict().evidence());
  }

  @Test
  void theCheckerNamesLostAndExtraIncrements() {
    assertEquals("count = 10", CounterWorkload.check(10, 10).evidence());
    assertEquals("counted 12 of 10: 2 too many", CounterWorkload.check(12, 10).evidence());
    assertEquals(2, CounterWorkload.check(12, 10).figure());
    // a count far below zero: no overflow into a huge negative number of lost updates
    Verdict negative = CounterWorkload.check(Long.MIN_VALUE, 20_000);
    assertEquals(
        "counted -9,223,372,036,854,775,808 of 20,000: a count can never be negative",
        negative.evidence());
    assertEquals(Long.MAX_VALUE, negative.figure());
    assertEquals(
        "counted -3 of 10: a count can never be negative",
        CounterWorkload.check(-3, 10).evidence());
    assertEquals(13, CounterWorkload.check(-3, 10).figure());
  }

  @Test
  void sharesTheIncrementsOutEvenly() {
    CounterParameters parameters = new CounterParameters(3, 10);
    assertEquals(
        List.of(4L, 3L, 3L),
        List.of(parameters.share(0), parameters.share(1), parameters.share(2)));
  }
}
