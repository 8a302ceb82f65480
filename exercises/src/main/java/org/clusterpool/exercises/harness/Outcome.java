package org.clusterpool.exercises.harness;

import java.util.List;
import org.clusterpool.exercises.report.Figures;
import org.clusterpool.exercises.report.OneLine;

/**
 * How a run ended, as the watchdog saw it.
 *
 * @param operations operations completed when it ended (all of them when finished)
 * @param unit what one operation is, plural ("increments", "transfers")
 * @param detail for a deadlock the cycle of threads, for a time-out what the threads were doing,
 *     for a throw the exception; empty when finished
 * @param threads the threads involved in a deadlock, by name
 * @param stalled for a time-out: true when nothing progressed for a while before the limit (a lost
 *     wake-up, a reply never sent), false when the run was still progressing, only too slowly for
 *     the limit
 * @param duringWarmUp true when this happened in the short warm-up run, before the measured one
 * @param running for a stalled time-out: true when the stuck threads were running (RUNNABLE: a loop
 *     that never ends), false when they waited or were blocked
 */
public record Outcome(
    Kind kind,
    long operations,
    String unit,
    String detail,
    List<String> threads,
    boolean stalled,
    boolean duringWarmUp,
    boolean running) {

  public enum Kind {
    FINISHED,
    DEADLOCKED,
    TIMED_OUT,
    THREW
  }

  public Outcome {
    threads = List.copyOf(threads);
  }

  /** An outcome whose stuck threads, if any, were waiting. */
  public Outcome(
      Kind kind,
      long operations,
      String unit,
      String detail,
      List<String> threads,
      boolean stalled,
      boolean duringWarmUp) {
    this(kind, operations, unit, detail, threads, stalled, duringWarmUp, false);
  }

  static Outcome finished(long operations, String unit) {
    return new Outcome(Kind.FINISHED, operations, unit, "", List.of(), false, false);
  }

  static Outcome deadlocked(long operations, String unit, String cycle, List<String> threads) {
    return new Outcome(Kind.DEADLOCKED, operations, unit, cycle, threads, false, false);
  }

  static Outcome timedOut(long operations, String unit, String whatTheyDid, boolean stalled) {
    return timedOut(operations, unit, whatTheyDid, stalled, false);
  }

  static Outcome timedOut(
      long operations, String unit, String whatTheyDid, boolean stalled, boolean running) {
    return new Outcome(
        Kind.TIMED_OUT, operations, unit, whatTheyDid, List.of(), stalled, false, running);
  }

  static Outcome threw(long operations, String unit, Throwable error) {
    return new Outcome(Kind.THREW, operations, unit, describe(error), List.of(), false, false);
  }

  public Outcome inWarmUp() {
    return new Outcome(kind, operations, unit, detail, threads, stalled, true, running);
  }

  public boolean finished() {
    return kind == Kind.FINISHED;
  }

  /** The table's outcome cell: {@code finished}, {@code deadlocked after 1,234 transfers}... */
  public String label() {
    String what =
        switch (kind) {
          case FINISHED -> "finished";
          case DEADLOCKED -> "deadlocked after " + Figures.count(operations, unit);
          case TIMED_OUT -> "timed out after " + Figures.count(operations, unit);
          case THREW -> "threw after " + Figures.count(operations, unit);
        };
    return duringWarmUp ? what + " (warm-up)" : what;
  }

  /** {@code IllegalStateException: boom}: what a student needs to find the bug, on one line. */
  static String describe(Throwable error) {
    String message = error.getMessage();
    String text =
        error.getClass().getSimpleName()
            + (message == null || message.isBlank() ? "" : ": " + message);
    // spaces for the line breaks and tabs, escapes for the rest (an ESC would drive the terminal)
    return OneLine.of(text.replaceAll("\\s+", " ").trim());
  }
}
