package org.clusterpool.exercises.counter;

/**
 * The counter problem's size.
 *
 * @param threads worker threads incrementing at once
 * @param increments increments in all, shared out evenly between the workers
 */
public record CounterParameters(int threads, long increments) {

  public static final int MAX_THREADS = 256;
  public static final long MAX_INCREMENTS = 1_000_000_000L;

  public static CounterParameters defaults() {
    return new CounterParameters(4, 1_000_000);
  }

  public CounterParameters {
    if (threads < 1 || threads > MAX_THREADS) {
      throw new IllegalArgumentException(
          "threads must be between 1 and " + MAX_THREADS + ", got " + threads);
    }
    if (increments < 1 || increments > MAX_INCREMENTS) {
      throw new IllegalArgumentException(
          "increments must be between 1 and " + MAX_INCREMENTS + ", got " + increments);
    }
  }

  /** Worker {@code worker}'s share: the remainder goes one each to the first workers. */
  long share(int worker) {
    return increments / threads + (worker < increments % threads ? 1 : 0);
  }
}
