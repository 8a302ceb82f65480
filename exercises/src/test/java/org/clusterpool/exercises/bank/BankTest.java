package org.clusterpool.exercises.bank;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BrokenBarrierException;
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
 * The bank references through the real harness: the deadlock-free ones keep both invariants with
 * many threads on few accounts; the naive order deadlocks every time the test makes each transfer
 * hold its first lock before any takes its second, and the watchdog reports it.
 */
@Timeout(60)
class BankTest {

  private static final Duration LIMIT = Duration.ofSeconds(30);

  static List<Implementation<Bank>> deadlockFreeReferences() {
    return new BankExercise()
        .references().stream().filter(i -> !i.name().equals(BankExercise.NAIVE_ORDER)).toList();
  }

  @ParameterizedTest
  @MethodSource("deadlockFreeReferences")
  void keepsTheMoneyAndNoBalanceGoesNegativeUnderEightThreadsOnEightAccounts(
      Implementation<Bank> reference) {
    BankParameters parameters = new BankParameters(8, 8, 20_000, 7);
    Measurement m = Harness.measure(reference, new BankWorkload(parameters), LIMIT);
    assertEquals(Outcome.Kind.FINISHED, m.outcome().kind(), m.outcome().toString());
    assertTrue(m.correct(), m.verdict().evidence());
    assertTrue(m.verdict().evidence().startsWith("total 8,000 kept"), m.verdict().evidence());
    assertEquals(20_000, m.operations());
  }

  /**
   * Holds every transfer after its first lock until all of them hold one: then each waits for the
   * next.
   */
  static final class EveryTransferHoldsItsFirstLock extends NaiveOrderBank {
    private final CyclicBarrier allHoldOne;

    EveryTransferHoldsItsFirstLock(int transfers) {
      allHoldOne = new CyclicBarrier(transfers);
    }

    @Override
    void afterFirstLock(int from, int to) throws InterruptedException {
      try {
        allHoldOne.await(10, TimeUnit.SECONDS);
      } catch (BrokenBarrierException | TimeoutException e) {
        throw new IllegalStateException("the other transfers never came", e);
      }
    }
  }

  /**
   * Client {@code c} moves 1 from account {@code c} to account {@code c + 1}, the last one back to
   * account 0.
   */
  private static TransferPlan ring(int clients) {
    return (client, call) -> new TransferPlan.Transfer(client, (client + 1) % clients, 1);
  }

  @Test
  void naiveOrderDeadlocksWhenTwoOppositeTransfersEachHoldTheirFirstLock() {
    Implementation<Bank> forced =
        Implementation.reference(
            BankExercise.NAIVE_ORDER, "forced", () -> new EveryTransferHoldsItsFirstLock(2));
    Measurement m =
        Harness.measure(forced, new BankWorkload(new BankParameters(2, 2, 2, 1), ring(2)), LIMIT);
    assertEquals(Outcome.Kind.DEADLOCKED, m.outcome().kind(), m.outcome().toString());
    assertEquals("deadlocked after 0 transfers", m.outcome().label());
    assertEquals("client-0 waits for client-1, client-1 waits for client-0", m.outcome().detail());
    assertFalse(m.correct());
    assertEquals(
        List.of(),
        m.notes(),
        "the watchdog's interrupts free threads blocked in lockInterruptibly");
  }

  @Test
  void naiveOrderDeadlocksInACycleOfThree() {
    Implementation<Bank> forced =
        Implementation.reference(
            BankExercise.NAIVE_ORDER, "forced", () -> new EveryTransferHoldsItsFirstLock(3));
    Measurement m =
        Harness.measure(forced, new BankWorkload(new BankParameters(3, 3, 3, 1), ring(3)), LIMIT);
    assertEquals(Outcome.Kind.DEADLOCKED, m.outcome().kind(), m.outcome().toString());
    assertEquals(List.of("client-0", "client-1", "client-2"), m.outcome().threads());
    assertEquals(
        "client-0 waits for client-1, client-1 waits for client-2, client-2 waits for client-0",
        m.outcome().detail());
  }

  @Test
  void globalOrderRunsTheSameOppositeTransfersToTheEnd() {
    Implementation<Bank> ordered =
        deadlockFreeReferences().stream()
            .filter(i -> i.name().equals(BankExercise.GLOBAL_ORDER))
            .findFirst()
            .orElseThrow();
    TransferPlan crossed =
        (client, call) -> new TransferPlan.Transfer(client, 1 - client, 1 + call % 3);
    Measurement m =
        Harness.measure(
            ordered, new BankWorkload(new BankParameters(2, 2, 100_000, 1), crossed), LIMIT);
    assertEquals(Outcome.Kind.FINISHED, m.outcome().kind(), m.outcome().toString());
    assertTrue(m.correct(), m.verdict().evidence());
  }

  @Test
  void theCheckerGivesTheEvidenceOfEachBrokenInvariant() {
    long[] opening = {100, 100, 100};
    assertEquals(
        Verdict.holds("total 300 kept, lowest balance 50, 2 refused"),
        BankCheck.check(opening, new long[] {50, 150, 100}, new long[] {50, 150, 100}, 2));
    Verdict created =
        BankCheck.check(opening, new long[] {100, 150, 100}, new long[] {50, 150, 100}, 0);
    assertEquals(
        Verdict.broken(
            50, "money created: +50; 1 balance disagrees with the transfers reported done"),
        created);
    Verdict destroyed =
        BankCheck.check(opening, new long[] {50, 100, 100}, new long[] {50, 150, 100}, 0);
    assertEquals(
        "money destroyed: -50; 1 balance disagrees with the transfers reported done",
        destroyed.evidence());
    Verdict negative =
        BankCheck.check(opening, new long[] {-20, 220, 100}, new long[] {-20, 220, 100}, 0);
    assertEquals(Verdict.broken(1, "1 account below zero (lowest -20)"), negative);
    Verdict swapped =
        BankCheck.check(opening, new long[] {150, 50, 100}, new long[] {50, 150, 100}, 0);
    assertEquals(
        Verdict.broken(2, "2 balances disagree with the transfers reported done"), swapped);
    assertEquals(
        "balances() returned 2 accounts, the bank has 3",
        BankCheck.check(opening, new long[2], opening, 0).evidence());
    assertEquals("balances() returned null", BankCheck.check(opening, null, opening, 0).evidence());
  }

  @Test
  void randomTransfersAreRepeatableBetweenTwoDifferentAccounts() {
    BankParameters parameters = new BankParameters(2, 3, 1000, 42);
    RandomTransfers first = new RandomTransfers(parameters);
    RandomTransfers second = new RandomTransfers(parameters);
    Set<Integer> payers = new HashSet<>();
    for (int call = 0; call < 500; call++) {
      TransferPlan.Transfer transfer = first.next(1, call);
      assertEquals(transfer, second.next(1, call));
      assertNotEquals(transfer.from(), transfer.to());
      assertTrue(
          transfer.amount() >= 1 && transfer.amount() <= BankParameters.MAX_AMOUNT,
          transfer.toString());
      payers.add(transfer.from());
    }
    assertEquals(Set.of(0, 1, 2), payers);
  }
}
