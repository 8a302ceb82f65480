package org.clusterpool.exercises.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.clusterpool.exercises.harness.Measurement;
import org.clusterpool.exercises.harness.Outcome;

/**
 * Sentences about a table, each computed from its numbers: who was fastest, who was wrong and by
 * how much, who deadlocked and on which threads. Exercises add their own with the helpers here, so
 * that a finding can never contradict the table above it.
 */
public final class Findings {
  private Findings() {}

  /**
   * Ratios within this band read "about as fast as": timing noise on a shared machine is that
   * large.
   */
  private static final double SAME_SPEED = 1.15;

  public static Optional<Measurement> fastestCorrect(List<Measurement> rows) {
    return rows.stream()
        .filter(Measurement::correct)
        .min(Comparator.comparingLong(Measurement::wallNanos));
  }

  /** The named row, if it ran, finished, and was correct. */
  public static Optional<Measurement> correct(List<Measurement> rows, String name) {
    return rows.stream().filter(r -> r.name().equals(name) && r.correct()).findFirst();
  }

  /** The named row, if it ran. */
  public static Optional<Measurement> row(List<Measurement> rows, String name) {
    return rows.stream().filter(r -> r.name().equals(name)).findFirst();
  }

  /** The fastest correct row among the named ones. */
  public static Optional<Measurement> fastestCorrect(List<Measurement> rows, List<String> names) {
    return rows.stream()
        .filter(r -> r.correct() && names.contains(r.name()))
        .min(Comparator.comparingLong(Measurement::wallNanos));
  }

  /**
   * How a row's wall time compares with another's, with timing noise read as "the same": one is
   * faster only when its median is {@link #SAME_SPEED} times better and its slowest run beat the
   * other's fastest, so that the difference stands above how much each one's own runs varied.
   */
  public enum Speed {
    FASTER,
    SAME,
    SLOWER,
    /** One of them ran once: one run cannot tell a difference from noise. */
    UNTOLD
  }

  public static Speed speed(Measurement a, Measurement b) {
    if (a.runNanos().size() < 2 || b.runNanos().size() < 2) return Speed.UNTOLD;
    double ratio = (double) b.wallNanos() / a.wallNanos();
    if (ratio >= SAME_SPEED && a.slowestRunNanos() < b.fastestRunNanos()) return Speed.FASTER;
    if (ratio <= 1 / SAME_SPEED && b.slowestRunNanos() < a.fastestRunNanos()) return Speed.SLOWER;
    return Speed.SAME;
  }

  /**
   * {@code 3.20x faster than b}, {@code 2.10x slower than b}, or {@code about as fast as b}, from
   * the wall times.
   */
  public static String relative(Measurement a, Measurement b) {
    return relative(a, b, b.name());
  }

  /**
   * As {@link #relative(Measurement, Measurement)}, naming {@code b} as {@code bNamed} ({@code
   * global-lock (one lock for the bank)}), so that what says more of it stays next to its name.
   */
  public static String relative(Measurement a, Measurement b, String bNamed) {
    double ratio = (double) b.wallNanos() / a.wallNanos();
    return switch (speed(a, b)) {
      case FASTER -> Figures.times(ratio) + " faster than " + bNamed;
      case SLOWER -> Figures.times(1 / ratio) + " slower than " + bNamed;
      case UNTOLD ->
          (ratio >= 1
                  ? Figures.times(ratio) + " faster than "
                  : Figures.times(1 / ratio) + " slower than ")
              + bNamed
              + " in a single run, which cannot tell a difference from noise (give --runs 3 or"
              + " more)";
      case SAME ->
          "about as fast as "
              + bNamed
              + (overlapped(a, b)
                  ? " ("
                      + Figures.times(Math.max(ratio, 1 / ratio))
                      + " apart, within how much their own runs varied)"
                  : "");
    };
  }

  /**
   * The medians lie further apart than the band, but the runs' ranges overlap: the noise, not the
   * band, decided.
   */
  private static boolean overlapped(Measurement a, Measurement b) {
    double ratio = (double) b.wallNanos() / a.wallNanos();
    return ratio >= SAME_SPEED || ratio <= 1 / SAME_SPEED;
  }

  /**
   * What every table says: the fastest, and every row that is wrong, deadlocked, timed out or
   * threw.
   */
  public static List<String> general(List<Measurement> rows) {
    List<String> lines = new ArrayList<>();
    Optional<Measurement> fastest = fastestCorrect(rows);
    if (fastest.isEmpty()) {
      lines.add("No implementation finished with the invariant intact.");
    } else {
      Measurement best = fastest.get();
      Measurement slowest =
          rows.stream()
              .filter(Measurement::correct)
              .max(Comparator.comparingLong(Measurement::wallNanos))
              .orElseThrow();
      String line =
          "Fastest correct: " + best.name() + ", " + Figures.rate(best.operationsPerSecond()) + ".";
      if (slowest != best) {
        line +=
            " Slowest correct: "
                + slowest.name()
                + ", "
                + Figures.times((double) slowest.wallNanos() / best.wallNanos())
                + " its time.";
      }
      lines.add(line);
    }
    for (Measurement row : rows) {
      Outcome outcome = row.outcome();
      switch (outcome.kind()) {
        case FINISHED -> {
          if (!row.verdict().correct()) lines.add(wrong(row, fastest));
        }
        case DEADLOCKED ->
            lines.add(
                row.name()
                    + " deadlocked after "
                    + Figures.count(outcome.operations(), outcome.unit())
                    + warmUp(outcome)
                    + ": "
                    + outcome.detail()
                    + ". The watchdog found the cycle with ThreadMXBean.findDeadlockedThreads and"
                    + " stopped the run.");
        case TIMED_OUT ->
            lines.add(
                row.name()
                    + " did not finish in time"
                    + warmUp(outcome)
                    + ", after "
                    + Figures.count(outcome.operations(), outcome.unit())
                    + ": "
                    + outcome.detail()
                    + (!outcome.stalled()
                        ? ": it is slow, not stuck; give it more time, or a smaller problem."
                        : outcome.running()
                            ? ". No lock cycle, and no wait either: it kept running, never waiting,"
                                + " until stopped (a loop that never ends, a spin on what never"
                                + " comes, or work too long for the time limit)."
                            : ". No lock cycle: something waited for what never came (a lost"
                                + " wake-up, a reply never sent)."));
        case THREW ->
            lines.add(
                row.name()
                    + " threw after "
                    + Figures.count(outcome.operations(), outcome.unit())
                    + warmUp(outcome)
                    + ": "
                    + outcome.detail()
                    + ".");
      }
      for (String note : row.notes()) lines.add(row.name() + ": " + note + ".");
    }
    Optional<Measurement> bestReference =
        rows.stream()
            .filter(r -> r.reference() && r.correct())
            .min(Comparator.comparingLong(Measurement::wallNanos));
    for (Measurement row : rows) {
      if (row.reference() || !row.correct()) continue;
      lines.add(
          row.name()
              + " (yours) kept the invariant"
              + bestReference
                  .map(best -> " and was " + relative(row, best) + ", the fastest reference")
                  .orElse("")
              + ".");
    }
    return lines;
  }

  private static String wrong(Measurement row, Optional<Measurement> fastest) {
    String line =
        row.name() + " finished but broke the invariant: " + row.verdict().evidence() + ".";
    if (fastest.isEmpty()) return line;
    return switch (speed(row, fastest.get())) {
      case FASTER ->
          line
              + " It beat every correct implementation ("
              + relative(row, fastest.get())
              + "): speed without the invariant is worth nothing.";
      case SAME ->
          line
              + " It was "
              + relative(row, fastest.get())
              + ", the fastest correct one: breaking the"
              + " invariant did not even buy speed.";
      case SLOWER, UNTOLD -> line;
    };
  }

  private static String warmUp(Outcome outcome) {
    return outcome.duringWarmUp() ? " (in the warm-up run)" : "";
  }
}
