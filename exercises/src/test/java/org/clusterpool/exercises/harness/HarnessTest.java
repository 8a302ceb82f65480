package org.clusterpool.exercises.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The watchdog on its own: every way a run can end is reported as such, within its limit, and the
 * solution is closed. Deadlocks are forced with a barrier: each thread holds its first lock before
 * any takes its second.
 */
@Timeout(60)
class HarnessTest {

  private static final Duration LIMIT = Duration.ofSeconds(30);

  private static Implementation<ScriptedWorkload.Solution> the(ScriptedWorkload.Solution solution) {
    return Implementation.reference("scripted", "a test solution", () -> solution);
  }

  @Test
  void aRunThatFinishesIsTimedAndChecked() {
    ScriptedWorkload.Solution solution = new ScriptedWorkload.Solution();
    Measurement m =
        Harness.measure(
            the(solution), ScriptedWorkload.counting(3, 1000, (c, k) -> {}, solution), LIMIT);
    assertEquals(Outcome.Kind.FINISHED, m.outcome().kind(), m.toString());
    assertEquals(3000, m.operations());
    assertTrue(m.correct(), m.verdict().evidence());
    assertEquals("all 3000 calls made", m.verdict().evidence());
    assertTrue(m.wallNanos() > 0);
    assertEquals("finished", m.outcome().label());
    assertTrue(solution.closed);
  }

  @Test
  void aWrongResultIsReportedWithItsEvidence() {
    ScriptedWorkload.Solution solution = new ScriptedWorkload.Solution();
    Measurement m =
        Harness.measure(the(solution), new ScriptedWorkload(2, 10, (c, k) -> {}, () -> 19L), LIMIT);
    assertEquals(Outcome.Kind.FINISHED, m.outcome().kind());
    assertFalse(m.correct());
    assertEquals(1, m.verdict().figure());
    assertEquals("made 19 of 20 calls", m.verdict().evidence());
  }

  @Test
  void aLockCycleIsFoundNamedAndBroken() {
    ReentrantLock a = new ReentrantLock();
    ReentrantLock b = new ReentrantLock();
    CyclicBarrier bothHoldOne = new CyclicBarrier(2);
    ScriptedWorkload.Solution solution = new ScriptedWorkload.Solution();
    ScriptedWorkload.Step crossed =
        (client, call) -> {
          ReentrantLock first = client == 0 ? a : b;
          ReentrantLock second = client == 0 ? b : a;
          first.lockInterruptibly();
          try {
            bothHoldOne.await(10, TimeUnit.SECONDS);
            second.lockInterruptibly();
            second.unlock();
          } finally {
            first.unlock();
          }
        };
    Measurement m =
        Harness.measure(the(solution), ScriptedWorkload.counting(2, 1, crossed, solution), LIMIT);
    assertEquals(Outcome.Kind.DEADLOCKED, m.outcome().kind(), m.outcome().toString());
    assertEquals(List.of("client-0", "client-1"), m.outcome().threads());
    assertEquals("client-0 waits for client-1, client-1 waits for client-0", m.outcome().detail());
    assertEquals("deadlocked after 0 calls", m.outcome().label());
    assertFalse(m.correct());
    assertEquals(List.of(), m.notes(), "interruptible locks: the stopped clients end");
    assertTrue(solution.closed);
  }

  @Test
  void aMonitorDeadlockCannotBeInterruptedYetNeitherHangsNorHauntsTheNextRun() {
    Object a = new Object();
    Object b = new Object();
    CyclicBarrier bothHoldOne = new CyclicBarrier(2);
    ScriptedWorkload.Solution solution = new ScriptedWorkload.Solution();
    ScriptedWorkload.Step crossed =
        (client, call) -> {
          Object first = client == 0 ? a : b;
          Object second = client == 0 ? b : a;
          synchronized (first) {
            bothHoldOne.await(10, TimeUnit.SECONDS);
            synchronized (second) {
              solution.calls.incrementAndGet();
            }
          }
        };
    Measurement m =
        Harness.measure(the(solution), ScriptedWorkload.counting(2, 1, crossed, solution), LIMIT);
    assertEquals(Outcome.Kind.DEADLOCKED, m.outcome().kind(), m.outcome().toString());
    assertEquals(1, m.notes().size(), m.notes().toString());
    assertTrue(
        m.notes().get(0).startsWith("client-0, client-1 could not be interrupted"),
        m.notes().get(0));

    // those two threads stay deadlocked for good: the next run must not be blamed for them
    ScriptedWorkload.Solution next = new ScriptedWorkload.Solution();
    Measurement after =
        Harness.measure(the(next), ScriptedWorkload.counting(2, 100, (c, k) -> {}, next), LIMIT);
    assertEquals(Outcome.Kind.FINISHED, after.outcome().kind(), after.outcome().toString());
  }

  @Test
  void aClientThatWaitsForeverIsTimedOutAndStopped() {
    CountDownLatch never = new CountDownLatch(1);
    ScriptedWorkload.Solution solution = new ScriptedWorkload.Solution();
    ScriptedWorkload.Step stuck =
        (client, call) -> {
          if (call == 5) never.await();
        };
    Measurement m =
        Harness.measure(
            the(solution),
            ScriptedWorkload.counting(2, 10, stuck, solution),
            Duration.ofMillis(300));
    assertEquals(Outcome.Kind.TIMED_OUT, m.outcome().kind(), m.outcome().toString());
    assertEquals("timed out after 10 calls", m.outcome().label());
    assertTrue(m.outcome().stalled());
    assertTrue(
        m.outcome().detail().matches("no progress for .*; client-0 WAITING in .*"),
        m.outcome().detail());
    assertEquals("stuck: no progress, no lock cycle", m.verdict().evidence());
    assertFalse(m.outcome().running(), "it waited: it did not run");
    assertEquals(List.of(), m.notes(), "an await answers the interrupt");
    assertTrue(solution.closed);
  }

  @Test
  void aClientStillProgressingAtTheLimitIsSlowNotStuck() {
    ScriptedWorkload.Solution solution = new ScriptedWorkload.Solution();
    // a call every 2 ms, and a limit of 1 s: a stall would need no call at all for 250 ms
    ScriptedWorkload.Step slow = (client, call) -> Thread.sleep(2);
    Measurement m =
        Harness.measure(
            the(solution),
            ScriptedWorkload.counting(2, 100_000, slow, solution),
            Duration.ofSeconds(1));
    assertEquals(Outcome.Kind.TIMED_OUT, m.outcome().kind(), m.outcome().toString());
    assertFalse(m.outcome().stalled(), m.outcome().detail());
    assertEquals("still progressing when the time limit of 1.00 s came", m.outcome().detail());
    assertEquals("too slow: still running at the time limit", m.verdict().evidence());
  }

  @Test
  void aClientThatThrowsIsAFailedRunNotACrash() {
    ScriptedWorkload.Solution solution = new ScriptedWorkload.Solution();
    ScriptedWorkload.Step throwing =
        (client, call) -> {
          if (client == 1 && call == 3) throw new IllegalStateException("boom\nsecond line");
        };
    Measurement m =
        Harness.measure(
            the(solution), ScriptedWorkload.counting(2, 1000, throwing, solution), LIMIT);
    assertEquals(Outcome.Kind.THREW, m.outcome().kind());
    assertEquals("IllegalStateException: boom second line", m.outcome().detail());
    assertTrue(m.outcome().label().startsWith("threw after "), m.outcome().label());
    assertEquals("threw IllegalStateException: boom second line", m.verdict().evidence());
    assertTrue(solution.closed);
  }

  @Test
  void aResultThatNeverComesIsTimedOut() {
    CountDownLatch never = new CountDownLatch(1);
    ScriptedWorkload.Solution solution = new ScriptedWorkload.Solution();
    ScriptedWorkload workload =
        new ScriptedWorkload(
            1,
            1,
            (c, k) -> {},
            () -> {
              never.await();
              return 1L;
            });
    Measurement m = Harness.measure(the(solution), workload, Duration.ofMillis(300));
    assertEquals(Outcome.Kind.TIMED_OUT, m.outcome().kind());
    assertTrue(
        m.outcome().detail().startsWith("reading the result did not return within 300.0 ms; "),
        m.outcome().detail());
    assertTrue(m.outcome().detail().contains(" WAITING "), m.outcome().detail());
    assertFalse(m.outcome().running(), "it waited: it did not run");
    assertEquals("timed out after 1 call", m.outcome().label());
  }

  /** Spins until interrupted, as a {@code while (true) {}} would, but ends when stopped. */
  private static void spin() {
    while (!Thread.currentThread().isInterrupted()) Thread.onSpinWait();
  }

  @Test
  void aResultThatSpinsForeverIsTimedOutAndSaidToRunNotToWait() {
    ScriptedWorkload.Solution solution = new ScriptedWorkload.Solution();
    ScriptedWorkload workload =
        new ScriptedWorkload(
            1,
            1,
            (c, k) -> {},
            () -> {
              spin();
              return 1L;
            });
    Measurement m = Harness.measure(the(solution), workload, Duration.ofMillis(300));
    assertEquals(Outcome.Kind.TIMED_OUT, m.outcome().kind());
    assertTrue(m.outcome().stalled());
    assertTrue(m.outcome().running(), m.outcome().detail());
    assertTrue(m.outcome().detail().contains(" RUNNABLE"), m.outcome().detail());
    String finding =
        org.clusterpool.exercises.report.Findings.general(List.of(m)).stream()
            .filter(l -> l.startsWith("scripted did not finish"))
            .findFirst()
            .orElseThrow();
    assertTrue(finding.contains("kept running, never waiting, until stopped"), finding);
    assertFalse(finding.contains("waited for what never came"), finding);
  }

  @Test
  void aClientThatSpinsForeverIsSaidToRunNotToWait() {
    ScriptedWorkload.Solution solution = new ScriptedWorkload.Solution();
    ScriptedWorkload.Step spinning =
        (client, call) -> {
          if (call == 5) spin();
        };
    Measurement m =
        Harness.measure(
            the(solution),
            ScriptedWorkload.counting(2, 10, spinning, solution),
            Duration.ofMillis(300));
    assertEquals(Outcome.Kind.TIMED_OUT, m.outcome().kind(), m.outcome().toString());
    assertTrue(m.outcome().stalled());
    assertTrue(m.outcome().running(), m.outcome().detail());
  }

  @Test
  void aConstructorThatNeverReturnsIsTimedOut() {
    Implementation<ScriptedWorkload.Solution> endless =
        Implementation.student(
            "Endless",
            "a test solution",
            () -> {
              spin();
              return new ScriptedWorkload.Solution();
            });
    Measurement m =
        Harness.measure(
            endless, new ScriptedWorkload(1, 1, (c, k) -> {}, () -> 1L), Duration.ofMillis(300));
    assertEquals(Outcome.Kind.TIMED_OUT, m.outcome().kind(), m.outcome().toString());
    assertTrue(
        m.outcome().detail().startsWith("the constructor did not return within 300.0 ms"),
        m.outcome().detail());
    assertTrue(m.outcome().running(), m.outcome().detail());
    assertFalse(m.correct());
  }

  @Test
  void aCloseThatNeverReturnsIsTimedOutWithinTheRunsLimit() {
    CountDownLatch never = new CountDownLatch(1);
    ScriptedWorkload.Solution solution =
        new ScriptedWorkload.Solution() {
          @Override
          public void close() {
            try {
              never.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
        };
    Measurement m =
        Harness.measure(
            the(solution),
            ScriptedWorkload.counting(1, 10, (c, k) -> {}, solution),
            Duration.ofMillis(300));
    assertEquals(Outcome.Kind.TIMED_OUT, m.outcome().kind(), m.outcome().toString());
    assertFalse(m.correct());
    assertTrue(
        m.outcome().detail().startsWith("close() did not return within 300.0 ms"),
        m.outcome().detail());
    assertEquals("timed out after 10 calls", m.outcome().label());
  }

  @Test
  void aResultTheCheckerCannotReadIsWrongNotACrash() {
    ScriptedWorkload.Solution solution = new ScriptedWorkload.Solution();
    Measurement m =
        Harness.measure(the(solution), new ScriptedWorkload(1, 1, (c, k) -> {}, () -> null), LIMIT);
    assertEquals(Outcome.Kind.FINISHED, m.outcome().kind());
    assertFalse(m.correct());
    assertEquals(
        "cannot check the result: IllegalStateException: no result", m.verdict().evidence());
  }

  @Test
  void aSolutionThatCannotBeMadeThrows() {
    Implementation<ScriptedWorkload.Solution> broken =
        Implementation.student(
            "Broken",
            "a test solution",
            () -> {
              throw new UnsupportedOperationException("no");
            });
    Measurement m =
        Harness.measure(broken, new ScriptedWorkload(1, 1, (c, k) -> {}, () -> 1L), LIMIT);
    assertEquals(Outcome.Kind.THREW, m.outcome().kind());
    assertEquals("UnsupportedOperationException: no", m.outcome().detail());
    assertFalse(m.reference());
  }
}
