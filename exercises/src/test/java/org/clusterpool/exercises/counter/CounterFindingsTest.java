package org.clusterpool.exercises.counter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.clusterpool.exercises.harness.Measurement;
import org.clusterpool.exercises.harness.Outcome;
import org.clusterpool.exercises.harness.Verdict;
import org.junit.jupiter.api.Test;

/**
 * The counter's own findings, from rows made up here: each sentence follows the direction the
 * numbers point.
 */
class CounterFindingsTest {

  private static final CounterParameters PARAMETERS = new CounterParameters(4, 1_000_000);

  private static Measurement row(String name, long millis, Verdict verdict) {
    return new Measurement(
        name,
        true,
        new Outcome(Outcome.Kind.FINISHED, 1_000_000, "increments", "", List.of(), false, false),
        verdict,
        millis * 1_000_000,
        List.of(),
        // three runs of the same time: enough to tell a difference (one run cannot)
        List.of(millis * 1_000_000, millis * 1_000_000, millis * 1_000_000));
  }

  private static Measurement right(String name, long millis) {
    return row(name, millis, Verdict.holds("count = 1,000,000"));
  }

  private static List<String> findings(Measurement... rows) {
    return new CounterExercise().findings(PARAMETERS, List.of(rows));
  }

  @Test
  void theLostUpdatesAreCountedOrTheLuckIsAdmitted() {
    assertEquals(
        List.of(
            "unsynchronized lost 25.0% of its increments: two workers read the same value, both"
                + " wrote value + 1, and one increment vanished."),
        findings(row("unsynchronized", 5, Verdict.broken(250_000, "lost"))));
    assertTrue(
        findings(right("unsynchronized", 5))
            .get(0)
            .startsWith("unsynchronized lost nothing this time: a race shows"));
  }

  @Test
  void aLockIsExplainedWhicheverWayItWent() {
    assertTrue(
        findings(right("synchronized", 30), right("atomic-long", 10))
            .get(0)
            .startsWith(
                "synchronized was 3.00x slower than atomic-long: a contended lock makes threads"
                    + " wait their turn"));
    assertTrue(
        findings(right("reentrant-lock", 10), right("atomic-long", 30))
            .get(0)
            .startsWith(
                "reentrant-lock was 3.00x faster than atomic-long: an unfair lock lets its holder"
                    + " take it again"));
  }

  @Test
  void perWorkerSumIsComparedWithTheBestSharedCounter() {
    assertEquals(
        "per-worker-sum shared nothing until the end: 4 messages in all, and it was 2.00x faster"
            + " than long-adder, the fastest counter shared by all workers.",
        findings(right("per-worker-sum", 10), right("long-adder", 20), right("atomic-long", 40))
            .get(1));
    assertTrue(
        findings(right("per-worker-sum", 30), right("long-adder", 20))
            .get(0)
            .endsWith("compare with ten times more (--ops 10000000)."));
  }
}
