package org.clusterpool.exercises.philosophers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.clusterpool.exercises.harness.Harness;
import org.clusterpool.exercises.harness.Implementation;
import org.clusterpool.exercises.harness.Measurement;
import org.clusterpool.exercises.harness.Outcome;
import org.clusterpool.exercises.harness.Verdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The tables through the real harness: the deadlock-free ones feed everybody and never let
 * neighbours eat at once; the naive one deadlocks every time the test makes each philosopher hold
 * its left fork first; and the fork watch catches neighbours eating at once.
 */
@Timeout(60)
class PhilosophersTest {

  private static final Duration LIMIT = Duration.ofSeconds(30);

  static Stream<Arguments> deadlockFreeReferencesAndTables() {
    return new PhilosophersExercise()
        .references().stream()
            .filter(i -> !i.name().equals(PhilosophersExercise.NAIVE_LOCKS))
            .flatMap(
                reference ->
                    Stream.of(
                        Arguments.of(reference, new PhilosophersParameters(5, 2_000, 20)),
                        Arguments.of(reference, new PhilosophersParameters(2, 1_000, 0)),
                        Arguments.of(reference, new PhilosophersParameters(9, 300, 50))));
  }

  @ParameterizedTest
  @MethodSource("deadlockFreeReferencesAndTables")
  void feedsEveryPhilosopherAndNeverTwoNeighboursAtOnce(
      Implementation<DiningTable> reference, PhilosophersParameters parameters) {
    Measurement m = Harness.measure(reference, new PhilosophersWorkload(parameters), LIMIT);
    assertEquals(Outcome.Kind.FINISHED, m.outcome().kind(), m.outcome().toString());
    assertTrue(m.correct(), m.verdict().evidence());
    assertEquals(parameters.philosophers() * parameters.meals(), m.operations());
  }

  /** Every philosopher waits with its left fork in hand until all of them have theirs. */
  static final class EveryoneHoldsTheLeftFork extends NaiveLocksTable {
    private final CyclicBarrier allHoldOne;

    EveryoneHoldsTheLeftFork(int philosophers) {
      allHoldOne = new CyclicBarrier(philosophers);
    }

    @Override
    void afterLeftFork(int philosopher) throws InterruptedException {
      try {
        allHoldOne.await(10, TimeUnit.SECONDS);
      } catch (BrokenBarrierException | TimeoutException e) {
        throw new IllegalStateException("the other philosophers never came", e);
      }
    }
  }

  @Test
  void naiveLocksDeadlockWhenEveryPhilosopherHoldsItsLeftFork() {
    Implementation<DiningTable> forced =
        Implementation.reference(
            PhilosophersExercise.NAIVE_LOCKS, "forced", () -> new EveryoneHoldsTheLeftFork(5));
    Measurement m =
        Harness.measure(
            forced, new PhilosophersWorkload(new PhilosophersParameters(5, 3, 0)), LIMIT);
    assertEquals(Outcome.Kind.DEADLOCKED, m.outcome().kind(), m.outcome().toString());
    assertEquals("deadlocked after 0 meals", m.outcome().label());
    assertEquals(
        List.of(
            "philosopher-0", "philosopher-1", "philosopher-2", "philosopher-3", "philosopher-4"),
        m.outcome().threads());
    assertEquals(
        "philosopher-0 waits for philosopher-1, philosopher-1 waits for philosopher-2,"
            + " philosopher-2 waits for philosopher-3, philosopher-3 waits for philosopher-4,"
            + " philosopher-4 waits for philosopher-0",
        m.outcome().detail());
    assertEquals(
        List.of(),
        m.notes(),
        "the watchdog's interrupts free threads blocked in lockInterruptibly");
  }

  /** No forks at all: everybody eats whenever it likes. */
  static final class NoForks implements DiningTable {
    @Override
    public void open(int philosophers) {}

    @Override
    public void dine(int philosopher, Runnable meal) {
      meal.run();
    }
  }

  @Test
  void neighboursEatingAtOnceAreCaught() {
    // both philosophers of a table of two share both forks; they meet at a barrier in the middle of
    // their meal
    CyclicBarrier together = new CyclicBarrier(2);
    Eating atTheSameTime = philosopher -> together.await(10, TimeUnit.SECONDS);
    Implementation<DiningTable> noForks = Implementation.student("NoForks", "test", NoForks::new);
    Measurement m =
        Harness.measure(
            noForks,
            new PhilosophersWorkload(new PhilosophersParameters(2, 1, 0), atTheSameTime),
            LIMIT);
    assertEquals(Outcome.Kind.FINISHED, m.outcome().kind(), m.outcome().toString());
    assertFalse(m.correct());
    assertEquals(
        Verdict.broken(2, "2 fork collisions: neighbours ate at once with a fork between them"),
        m.verdict());
  }

  @Test
  void aTableThatForgetsTheMealIsCaught() {
    Implementation<DiningTable> hungry =
        Implementation.student(
            "Hungry",
            "test",
            () ->
                new DiningTable() {
                  @Override
                  public void open(int philosophers) {}

                  // one at a time, so that the only fault is the forgotten meal (neighbours eating
                  // at once would be another)
                  @Override
                  public synchronized void dine(int philosopher, Runnable meal) {
                    if (philosopher != 1) meal.run();
                  }
                });
    Measurement m =
        Harness.measure(
            hungry, new PhilosophersWorkload(new PhilosophersParameters(3, 4, 0)), LIMIT);
    assertEquals(
        Verdict.broken(4, "philosopher 1 returned from dine 4 times but ate 0 times"), m.verdict());
  }

  @Test
  void theCheckerSaysEverybodyAte() {
    Dinner dinner = new Dinner(0, new long[] {3, 3}, new long[] {3, 3});
    assertEquals(
        Verdict.holds("no two neighbours ate at once, 3 meals each"), DinnerCheck.check(dinner, 3));
  }
}
