package org.clusterpool.exercises.bank;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
        List.of(),
        // three runs of the same time: enough to tell a difference (one run cannot)
        List.of(millis * 1_000_000, millis * 1_000_000, millis * 1_000_000));
  }

  private static String about(String subject, List<Measurement> rows) {
    return about(subject, PARAMETERS, rows);
  }

  private static String about(String subject, BankParameters parameters, List<Measurement> rows) {
    return new BankExercise()
        .findings(parameters, rows).stream()
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
  void withFewerThanFourAccountsFinerLocksAreNotSaidToRunTransfersAtOnce() {
    BankParameters two = new BankParameters(4, 2, 50_000, 1);
    String faster =
        about("global-order", two, List.of(row("global-lock", 20), row("global-order", 10)));
    assertFalse(faster.contains("ran at the same time."), faster);
    assertTrue(
        faster.endsWith(
            "with only 2 accounts, any two transfers share one, so finer locks let none run at"
                + " the same time: the difference is not parallelism."),
        faster);
  }

  @Test
  void aSingleRunIsNoLessonAboutSpeed() {
    Measurement global =
        new Measurement(
            "global-lock",
            true,
            new Outcome(Outcome.Kind.FINISHED, 50_000, "transfers", "", List.of(), false, false),
            Verdict.holds("total kept"),
            20_000_000,
            List.of());
    Measurement ordered =
        new Measurement(
            "global-order",
            true,
            new Outcome(Outcome.Kind.FINISHED, 50_000, "transfers", "", List.of(), false, false),
            Verdict.holds("total kept"),
            10_000_000,
            List.of());
    String line = about("global-order", List.of(global, ordered));
    assertEquals(
        "global-order (a lock per account) was 2.00x faster than global-lock (one lock for the"
            + " bank) in a single run, which cannot tell a difference from noise (give --runs 3"
            + " or more).",
        line);
  }

  @Test
  void theNameOfTheComparedOneStaysNextToWhatSaysMoreOfIt() {
    // medians 1.56x apart, runs that overlap: "about as fast", its caveat after the whole name
    Measurement global =
        row("global-lock", 10).withRuns(List.of(9_000_000L, 10_000_000L, 30_000_000L));
    Measurement ordered =
        row("global-order", 15).withRuns(List.of(8_000_000L, 15_000_000L, 16_000_000L));
    String line = about("global-order", List.of(global, ordered));
    assertTrue(
        line.startsWith(
            "global-order (a lock per account) was about as fast as global-lock (one lock for the"
                + " bank) (1.50x apart, within how much their own runs varied): "),
        line);
  }

  @Test
  void tryLockIsNotExplainedByBackOffsThatDidNotHappen() {
    Measurement tryLock =
        new Measurement(
                "try-lock",
                true,
                new Outcome(
                    Outcome.Kind.FINISHED, 50_000, "transfers", "", List.of(), false, false),
                Verdict.holds("total kept"),
                10_000_000,
                List.of("backed off 0 times when a lock was taken"))
            .withRuns(List.of(10_000_000L, 10_000_000L, 10_000_000L));
    String line = about("try-lock", List.of(row("global-order", 20), tryLock));
    assertFalse(line.contains("backs off instead"), line);
    assertTrue(line.endsWith("it never backed off here: no thread found a lock taken."), line);
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
