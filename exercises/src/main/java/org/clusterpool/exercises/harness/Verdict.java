package org.clusterpool.exercises.harness;

/**
 * What the checker found after a run: whether the exercise's invariant held, and the evidence, in
 * words and as one number ({@code figure}: updates lost, money created, items duplicated...; 0 when
 * it held).
 */
public record Verdict(boolean correct, String evidence, long figure) {

  public static Verdict holds(String evidence) {
    return new Verdict(true, evidence, 0);
  }

  public static Verdict broken(long figure, String evidence) {
    return new Verdict(false, evidence, figure);
  }

  /** The run did not finish, so there is no final state to check. */
  public static Verdict notChecked(String why) {
    return new Verdict(false, why, 0);
  }
}
