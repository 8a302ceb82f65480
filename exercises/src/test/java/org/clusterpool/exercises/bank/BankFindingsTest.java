package org.clusterpool.exercises.bank;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.clusterpool.exercises.harness.Measurement;
import org.clusterpool.exercises.harness.Outcome;
import org.clusterpool.exercises.harness.Verdict;
import org.junit.jupiter.api.Test;

/**
 * The bank's own findings, from rows made up here: each sentence follows the direction the numbers
 * point.
 */
class BankFindingsTest {

  private static final BankParameters PARAMETERS = BankParameters.defaults();

  private static Measurement row(String name, long millis) {
    return new Measurement(
        name,
        true,
        new Outcome(Outcome.Kind.FINISHED, 50_000, "transfers", "", List.of(), false, false),
        Verdict.holds("total kept"),
        millis * 1_000_000,
        List.of());
  }

  private static String about(String subject, List<Measurement> rows) {
    return new BankExercise()
        .findings(PARAMETERS, rows).stream()
            .filter(l -> l.startsWith(subject))
            .findFirst()
            .orElseThrow(() -> new AssertionError("nothing about " + subject));
  }

  @Test
  void finerLocksAreExplainedWhicheverWayTheyWent() {
    assertTrue(
        about("global-order", List.of(row("global-lock", 20), row("global-order", 10)))
            .endsWith(
                "2.00x faster than global-lock (one lock for the bank): transfers between different"
                    + " accounts ran at the same time."));
    assertTrue(
        about("global-order", List.of(row("global-lock", 10), row("global-order", 20)))
            .endsWith("two locks per transfer cost more than the parallelism they allow."));
    assertTrue(
        about("global-order", List.of(row("global-lock", 10), row("global-order", 11)))
            .contains("about as fast as global-lock (one lock for the bank): with "));
  }

  @Test
  void theCostOfAnInvariantVisibleAtEveryInstantIsTheirRatio() {
    assertTrue(
        about(
                "Keeping the total intact",
                List.of(row("account-actors", 100), row("account-actors-held", 250)))
            .startsWith("Keeping the total intact at every instant cost 2.50x: "));
    assertTrue(
        about(
                "Keeping the total intact",
                List.of(row("account-actors", 100), row("account-actors-held", 105)))
            .startsWith(
                "Keeping the total intact at every instant cost nothing measurable here: "));
  }

  @Test
  void aNaiveOrderThatFinishedIsNotPassedOffAsSafe() {
    assertTrue(
        about("naive-order", List.of(row("naive-order", 10)))
            .startsWith("naive-order finished this time: it deadlocks"));
    assertEquals(
        0, new BankExercise().findings(PARAMETERS, List.of(row("global-lock", 10))).size());
  }
}
