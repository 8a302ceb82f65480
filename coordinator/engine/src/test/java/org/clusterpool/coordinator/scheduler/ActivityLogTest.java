package org.clusterpool.coordinator.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.clusterpool.node.protocol.Activity;
import org.clusterpool.node.protocol.Activity.Outcome;
import org.clusterpool.node.protocol.Activity.Span;
import org.clusterpool.node.protocol.MessageBudget;
import org.clusterpool.node.protocol.WorkUnit;
import org.clusterpool.node.protocol.WorkerInfo;
import org.clusterpool.node.wire.Values;
import org.junit.jupiter.api.Test;

/**
 * The ring of chunk spans on its own: bounded, numbered in order, a gap when the asker missed some,
 * one span an attempt.
 */
class ActivityLogTest {

  private static final MessageBudget BUDGET = CoordinatorTest.BUDGET;
  private static final long FIRST = 1000;

  private static void record(ActivityLog log, int n) {
    for (int i = 0; i < n; i++)
      log.record("worker-1", "pekko://t@h:1", "j", "square", 10 + i, 20 + i, 5, Outcome.OK);
  }

  private static List<Long> seqs(Activity activity) {
    return activity.spans().stream().map(Span::seq).toList();
  }

  @Test
  void anEmptyLogAnswersNothingAndNoGap() {
    ActivityLog log = new ActivityLog(4, FIRST);
    Activity all = log.since(0, 100, BUDGET);
    assertEquals(List.of(), all.spans());
    assertFalse(all.gap());
    assertEquals(FIRST - 1, all.lastSeq());
    Activity again = log.since(all.lastSeq(), 100, BUDGET);
    assertFalse(again.gap(), "asking after what the last answer said is no gap");
  }

  @Test
  void spansAreNumberedInOrderAndAnAskerGetsOnlyWhatIsNewToIt() {
    ActivityLog log = new ActivityLog(8, FIRST);
    record(log, 3);
    Activity first = log.since(0, 100, BUDGET);
    assertEquals(List.of(FIRST, FIRST + 1, FIRST + 2), seqs(first));
    assertEquals(FIRST + 2, first.lastSeq());
    assertFalse(first.gap());
    record(log, 2);
    Activity next = log.since(first.lastSeq(), 100, BUDGET);
    assertEquals(List.of(FIRST + 3, FIRST + 4), seqs(next));
    assertFalse(next.gap());
    Activity nothing = log.since(next.lastSeq(), 100, BUDGET);
    assertEquals(List.of(), nothing.spans());
    assertEquals(next.lastSeq(), nothing.lastSeq());
    assertFalse(nothing.gap());
  }

  @Test
  void theRingKeepsTheLastSpansAndSaysWhenSomeWereForgotten() {
    ActivityLog log = new ActivityLog(4, FIRST);
    record(log, 10);
    Activity all = log.since(0, 100, BUDGET);
    assertEquals(List.of(FIRST + 6, FIRST + 7, FIRST + 8, FIRST + 9), seqs(all), "the last four");
    assertTrue(all.gap(), "six were forgotten");
    Activity behind =
        log.since(FIRST + 2, 100, BUDGET); // it saw up to the third: the 4th to 6th are gone
    assertEquals(List.of(FIRST + 6, FIRST + 7, FIRST + 8, FIRST + 9), seqs(behind));
    assertTrue(behind.gap());
    Activity justInTime =
        log.since(FIRST + 5, 100, BUDGET); // the next one it needs is the oldest kept
    assertEquals(4, justInTime.spans().size());
    assertFalse(justInTime.gap());
    assertEquals(
        List.of(FIRST + 6, FIRST + 7, FIRST + 8, FIRST + 9),
        seqs(log.since(FIRST + 5, 100, BUDGET)));
  }

  @Test
  void anAskerOfAnotherCoordinatorGetsAllThatIsKeptWithAGap() {
    ActivityLog log = new ActivityLog(4, FIRST);
    record(log, 2);
    Activity restarted =
        log.since(FIRST + 50, 100, BUDGET); // numbers above the newest: another coordinator's
    assertEquals(List.of(FIRST, FIRST + 1), seqs(restarted));
    assertTrue(restarted.gap());
    Activity earlier =
        log.since(FIRST - 30, 100, BUDGET); // an earlier coordinator's numbers are below this one's
    assertEquals(List.of(FIRST, FIRST + 1), seqs(earlier));
    assertTrue(earlier.gap());
  }

  @Test
  void maxCutsTheAnswerAndTheAskerGoesOnFromItsLastSeq() {
    ActivityLog log = new ActivityLog(16, FIRST);
    record(log, 10);
    Activity part = log.since(0, 3, BUDGET);
    assertEquals(List.of(FIRST, FIRST + 1, FIRST + 2), seqs(part));
    assertEquals(FIRST + 2, part.lastSeq());
    Activity rest = log.since(part.lastSeq(), 100, BUDGET);
    assertEquals(7, rest.spans().size());
    assertFalse(rest.gap());
    Activity none = log.since(part.lastSeq(), 0, BUDGET);
    assertEquals(List.of(), none.spans());
    assertEquals(part.lastSeq(), none.lastSeq(), "max 0 moves the asker nowhere");
    Activity negative = log.since(0, -5, BUDGET);
    assertEquals(List.of(), negative.spans());
    ActivityLog big = new ActivityLog(4096, FIRST);
    record(big, 4096);
    assertEquals(
        Activity.MAX_SPANS,
        big.since(0, Integer.MAX_VALUE, BUDGET).spans().size(),
        "never more than MAX_SPANS");
  }

  @Test
  void theBudgetCutsTheAnswerAndTheRestComesNextTime() {
    ActivityLog log = new ActivityLog(1000, FIRST);
    String wide = "€".repeat(256);
    for (int i = 0; i < 1000; i++)
      log.record(wide, wide + wide, wide, "square", 1, 2, 1, Outcome.OK);
    MessageBudget small = new MessageBudget(64 * 1024);
    Activity part = log.since(0, 1000, small);
    assertTrue(
        part.spans().size() < 1000 && !part.spans().isEmpty(), part.spans().size() + " spans");
    long bytes = part.spans().stream().mapToLong(MessageBudget::of).sum();
    assertTrue(small.fits(0, bytes), bytes + " bytes");
    Activity next = log.since(part.lastSeq(), 1000, small);
    assertEquals(part.lastSeq() + 1, next.spans().get(0).seq(), "nothing skipped");
  }

  @Test
  void eachAttemptEndsOnceWithItsOutcomeAndItsWorkersName() {
    ActivityLog log = new ActivityLog(16, FIRST);
    JobState job = new JobState("job-1", CoordinatorTest.task("square"), null);
    WorkerState a = new WorkerState(null, null, new WorkerInfo("worker-1", "pekko://t@h:1", 7));
    WorkerState b = new WorkerState(null, null, new WorkerInfo("worker-2", "pekko://t@h:2", 8));
    UnitState unit =
        new UnitState(
            new WorkUnit(1, "job-1", "square", "f", 0, 0, 0, new Values.LongRange(0, 5)), job);

    log.sent(unit, a, 100);
    unit.worker = a;
    log.ended(unit, Outcome.RERUN); // its worker was lost
    log.ended(unit, Outcome.RERUN); // and said again: nothing more
    log.answered(unit, a); // a late answer of that attempt: its span is written already
    log.sent(unit, b, 200);
    unit.worker = b;
    log.answered(unit, b);

    UnitState failing =
        new UnitState(
            new WorkUnit(2, "job-1", "square", "f", 1, 0, 5, new Values.LongRange(5, 3)), job);
    log.sent(failing, a, 300);
    failing.worker = a;
    failing.inputsFailed = true;
    log.answered(failing, a);

    UnitState twice =
        new UnitState(
            new WorkUnit(3, "job-1", "square", "f", 2, 0, 8, new Values.LongRange(8, 1)), job);
    log.sent(twice, a, 400);
    log.sent(
        twice, b, 500); // sent again while open (after its deadline): the first attempt is over
    twice.worker = b;
    log.answered(twice, a); // the first attempt answered first: the second is stopped

    UnitState cancelled =
        new UnitState(
            new WorkUnit(4, "job-1", "square", "f", 3, 0, 9, new Values.LongRange(9, 1)), job);
    log.sent(cancelled, b, 600);
    log.ended(cancelled, Outcome.CANCELLED);
    UnitState queued =
        new UnitState(
            new WorkUnit(5, "job-1", "square", "f", 4, 0, 10, new Values.LongRange(10, 1)), job);
    log.ended(queued, Outcome.CANCELLED); // never sent: no span

    List<Span> spans = log.since(0, 100, BUDGET).spans();
    assertEquals(
        List.of(
            Outcome.RERUN,
            Outcome.OK,
            Outcome.FAILED,
            Outcome.RERUN,
            Outcome.CANCELLED,
            Outcome.CANCELLED),
        spans.stream().map(Span::outcome).toList());
    assertEquals(
        List.of("worker-1", "worker-2", "worker-1", "worker-1", "worker-2", "worker-2"),
        spans.stream().map(Span::worker).toList());
    Span first = spans.get(0);
    assertEquals("pekko://t@h:1", first.node());
    assertEquals("job-1", first.jobId());
    assertEquals("square", first.task());
    assertEquals(100, first.startMillis());
    assertTrue(first.endMillis() >= first.startMillis());
    assertEquals(5, first.inputs());
    assertEquals(200, spans.get(1).startMillis());
    assertEquals(3, spans.get(2).inputs());
  }
}
