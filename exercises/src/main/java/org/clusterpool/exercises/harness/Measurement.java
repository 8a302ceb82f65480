package org.clusterpool.exercises.harness;

import java.util.List;

/**
 * One row of the comparison: an implementation, how its run ended, what the checker found, and its
 * wall time (from the start of the operations to the final result in hand; 0 when it did not
 * finish).
 *
 * @param notes facts about the run worth a line under the table (threads that could not be
 *     stopped...)
 * @param runNanos the wall time of every measured run, when the row is the median of several; the
 *     one run otherwise. How far they lie apart is the noise that a comparison must rise above.
 */
public record Measurement(
    String name,
    boolean reference,
    Outcome outcome,
    Verdict verdict,
    long wallNanos,
    List<String> notes,
    List<Long> runNanos) {

  public Measurement {
    notes = List.copyOf(notes);
    runNanos = runNanos.isEmpty() && wallNanos > 0 ? List.of(wallNanos) : List.copyOf(runNanos);
  }

  /** One measured run. */
  public Measurement(
      String name,
      boolean reference,
      Outcome outcome,
      Verdict verdict,
      long wallNanos,
      List<String> notes) {
    this(name, reference, outcome, verdict, wallNanos, notes, List.of());
  }

  /** This row with the wall times of all its runs. */
  public Measurement withRuns(List<Long> runs) {
    return new Measurement(name, reference, outcome, verdict, wallNanos, notes, runs);
  }

  public long fastestRunNanos() {
    return runNanos.stream().mapToLong(Long::longValue).min().orElse(wallNanos);
  }

  public long slowestRunNanos() {
    return runNanos.stream().mapToLong(Long::longValue).max().orElse(wallNanos);
  }

  /** Finished, and the invariant held: the only rows that compete for "fastest". */
  public boolean correct() {
    return outcome.finished() && verdict.correct();
  }

  public long operations() {
    return outcome.operations();
  }

  public double operationsPerSecond() {
    return wallNanos <= 0 ? 0 : operations() * 1e9 / wallNanos;
  }
}
