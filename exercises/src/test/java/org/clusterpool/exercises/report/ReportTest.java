package org.clusterpool.exercises.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.clusterpool.exercises.harness.Measurement;
import org.clusterpool.exercises.harness.Outcome;
import org.clusterpool.exercises.harness.Verdict;
import org.junit.jupiter.api.Test;

/**
 * The table and the findings, from measurements made up here: what they say must follow from the
 * numbers.
 */
class ReportTest {

  private static Measurement finished(
      String name, boolean reference, Verdict verdict, long millis) {
    return new Measurement(
        name,
        reference,
        new Outcome(Outcome.Kind.FINISHED, 1_000_000, "increments", "", List.of(), false, false),
        verdict,
        millis * 1_000_000,
        List.of(),
        // three runs of the same time: enough to tell a difference (one run cannot)
        List.of(millis * 1_000_000, millis * 1_000_000, millis * 1_000_000));
  }

  private static final Measurement FAST =
      finished("fast", true, Verdict.holds("count = 1,000,000"), 10);
  private static final Measurement SLOW =
      finished("slow", true, Verdict.holds("count = 1,000,000"), 40);
  private static final Measurement WRONG =
      finished("wrong", true, Verdict.broken(7, "lost 7 updates"), 5);
  private static final Measurement STUCK =
      new Measurement(
          "stuck",
          true,
          new Outcome(
              Outcome.Kind.DEADLOCKED,
              1_234,
              "increments",
              "a waits for b, b waits for a",
              List.of("a", "b"),
              false,
              false),
          Verdict.notChecked("never finishes"),
          0,
          List.of("a, b could not be interrupted"));
  private static final Measurement MINE =
      finished("Mine", false, Verdict.holds("count = 1,000,000"), 20);

  @Test
  void theTableHasOneRowPerImplementationWithItsRatioToTheFastestCorrect() {
    StringWriter text = new StringWriter();
    ComparisonTable.print(List.of(FAST, SLOW, WRONG, STUCK), new PrintWriter(text));
    List<String> lines = text.toString().lines().toList();
    assertEquals(6, lines.size(), text.toString());
    assertTrue(lines.get(0).startsWith("implementation  correct?  evidence"), lines.get(0));
    assertTrue(lines.get(1).matches("-+"), lines.get(1));
    assertEquals(
        List.of("fast", "yes", "count = 1,000,000", "finished", "10.0 ms", "100.0 M/s", "1.00x"),
        ComparisonTable.cells(FAST, Findings.fastestCorrect(List.of(FAST, SLOW))));
    assertTrue(lines.get(3).endsWith("4.00x"), lines.get(3));
    assertTrue(lines.get(4).endsWith("0.50x"), "a wrong row is compared too: " + lines.get(4));
    assertTrue(
        lines.get(5).contains("deadlocked after 1,234 increments") && lines.get(5).endsWith("-"),
        lines.get(5));
  }

  @Test
  void theFindingsFollowTheNumbers() {
    List<String> findings = Findings.general(List.of(FAST, SLOW, WRONG, STUCK, MINE));
    assertEquals(
        "Fastest correct: fast, 100.0 M/s. Slowest correct: slow, 4.00x its time.",
        findings.get(0));
    assertEquals(
        "wrong finished but broke the invariant: lost 7 updates. It beat every correct"
            + " implementation (2.00x faster than fast): speed without the invariant is worth"
            + " nothing.",
        findings.get(1));
    assertTrue(
        findings
            .get(2)
            .startsWith("stuck deadlocked after 1,234 increments: a waits for b, b waits for a."),
        findings.get(2));
    assertEquals("stuck: a, b could not be interrupted.", findings.get(3));
    assertEquals(
        "Mine (yours) kept the invariant and was 2.00x slower than fast, the fastest reference.",
        findings.get(4));
    assertEquals(5, findings.size(), findings.toString());
  }

  @Test
  void aWrongRowIsOnlySaidToWinWhenItClearlyDid() {
    Measurement tied = finished("tied", true, Verdict.broken(1, "lost 1 update"), 11);
    assertEquals(
        "tied finished but broke the invariant: lost 1 update. It was about as fast as fast, the"
            + " fastest correct one: breaking the invariant did not even buy speed.",
        Findings.general(List.of(FAST, tied)).get(1));
    Measurement slower = finished("slower", true, Verdict.broken(1, "lost 1 update"), 30);
    assertEquals(
        "slower finished but broke the invariant: lost 1 update.",
        Findings.general(List.of(FAST, slower)).get(1));
  }

  @Test
  void nothingCorrectIsSaidPlainly() {
    assertEquals(
        "No implementation finished with the invariant intact.",
        Findings.general(List.of(WRONG)).get(0));
  }

  private static Measurement runs(String name, long... millis) {
    List<Long> nanos = java.util.Arrays.stream(millis).map(m -> m * 1_000_000).boxed().toList();
    long median = nanos.stream().sorted().toList().get(nanos.size() / 2);
    return new Measurement(
        name,
        true,
        new Outcome(Outcome.Kind.FINISHED, 1_000_000, "increments", "", List.of(), false, false),
        Verdict.holds("ok"),
        median,
        List.of(),
        nanos);
  }

  @Test
  void aDifferenceWithinHowMuchTheRunsVariedReadsAsTheSame() {
    // medians 10 and 13 ms: 1.30x apart, but one of the slower one's runs took 9 ms
    Measurement steady = runs("steady", 10, 10, 11);
    Measurement jumpy = runs("jumpy", 9, 13, 20);
    assertEquals(Findings.Speed.SAME, Findings.speed(steady, jumpy));
    assertEquals(
        "about as fast as jumpy (1.30x apart, within how much their own runs varied)",
        Findings.relative(steady, jumpy));
    // the same medians, runs that do not overlap: a real difference
    Measurement apart = runs("apart", 12, 13, 14);
    assertEquals(Findings.Speed.FASTER, Findings.speed(steady, apart));
    assertEquals(Findings.Speed.SLOWER, Findings.speed(apart, steady));
    assertEquals("1.30x faster than apart", Findings.relative(steady, apart));
  }

  @Test
  void aSingleRunCannotTellWhichIsFaster() {
    Measurement once = runs("once", 10);
    Measurement other = runs("other", 40);
    assertEquals(Findings.Speed.UNTOLD, Findings.speed(once, other));
    assertEquals(
        "4.00x faster than other in a single run, which cannot tell a difference from noise (give"
            + " --runs 3 or more)",
        Findings.relative(once, other));
    // a student's wrong but faster single run is no "beat every correct implementation" lesson
    Measurement wrongOnce =
        new Measurement(
            "wrongOnce",
            false,
            new Outcome(
                Outcome.Kind.FINISHED, 1_000_000, "increments", "", List.of(), false, false),
            Verdict.broken(1, "lost 1 update"),
            5_000_000,
            List.of());
    assertEquals(
        "wrongOnce finished but broke the invariant: lost 1 update.",
        Findings.general(List.of(runs("fast", 10), wrongOnce)).get(1));
  }

  @Test
  void aStudentsMessageIsPrintedEscaped() {
    Measurement threw =
        new Measurement(
            "Escaping",
            false,
            new Outcome(
                Outcome.Kind.THREW,
                0,
                "increments",
                "IllegalStateException: boom\u001b[31m",
                List.of(),
                false,
                false),
            Verdict.notChecked("threw IllegalStateException: boom\u001b[31m"),
            0,
            List.of());
    StringWriter text = new StringWriter();
    new Report("heading", List.of(threw), Findings.general(List.of(threw)))
        .print(new PrintWriter(text));
    assertFalse(text.toString().contains("\u001b"), text.toString());
    assertTrue(text.toString().contains("boom\\u001b[31m"), text.toString());
  }

  @Test
  void closeTimesReadAsTheSame() {
    Measurement close = finished("close", true, Verdict.holds("ok"), 11);
    assertEquals("about as fast as fast", Findings.relative(close, FAST));
    assertEquals(Findings.Speed.SAME, Findings.speed(close, FAST));
    assertEquals("4.00x slower than fast", Findings.relative(SLOW, FAST));
    assertEquals("4.00x faster than slow", Findings.relative(FAST, SLOW));
  }

  @Test
  void figuresReadWell() {
    assertEquals("1,000,000", Figures.count(1_000_000));
    assertEquals("1 transfer", Figures.count(1, "transfers"));
    assertEquals("0 transfers", Figures.count(0, "transfers"));
    assertEquals("850 µs", Figures.duration(850_000));
    assertEquals("2.50 ms", Figures.duration(2_500_000));
    assertEquals("1.25 s", Figures.duration(1_250_000_000));
    assertEquals("12.5 k/s", Figures.rate(12_500));
    assertEquals("230x", Figures.times(230));
    assertEquals("48.8%", Figures.percent(0.488));
  }
}
