package org.clusterpool.exercises.harness;

import java.util.List;

/**
 * One row of the comparison: an implementation, how its run ended, what the checker found, and its wall time
 * (from the start of the operations to the final result in hand; 0 when it did not finish).
 *
 * @param notes facts about the run worth a line under the table (threads that could not be stopped...)
 */
public record Measurement(String name, boolean reference, Outcome outcome, Verdict verdict, long wallNanos, List<String> notes) {

  public Measurement {
    notes = List.copyOf(notes);
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
