package org.clusterpool.exercises;

import java.time.Duration;

/**
 * How implementations are run.
 *
 * @param timeLimit what one run may take before it is stopped and reported as timed out
 * @param warmUp whether every implementation first runs a smaller problem, unmeasured, so the JIT
 *     compiles it
 * @param maxRuns how many times a measured run may be repeated; the median is shown
 * @param measureFor a run is repeated (up to {@code maxRuns}) until this much time was measured:
 *     runs of a few milliseconds are at the mercy of the scheduler, runs of seconds are not worth
 *     repeating
 * @param minRuns runs made whatever their length (up to {@code maxRuns}): a comparison needs to
 *     know how far one implementation's runs lie apart before it calls another faster
 */
public record RunOptions(
    Duration timeLimit, boolean warmUp, int maxRuns, Duration measureFor, int minRuns) {

  public static final Duration DEFAULT_TIME_LIMIT = Duration.ofSeconds(20);
  public static final int DEFAULT_MAX_RUNS = 5;
  public static final Duration DEFAULT_MEASURE_FOR = Duration.ofMillis(250);
  public static final int DEFAULT_MIN_RUNS = 3;

  public RunOptions {
    if (maxRuns < 1)
      throw new IllegalArgumentException("maxRuns must be at least 1, got " + maxRuns);
    if (minRuns < 1)
      throw new IllegalArgumentException("minRuns must be at least 1, got " + minRuns);
  }

  /** At least {@link #DEFAULT_MIN_RUNS} runs, or {@code maxRuns} if fewer. */
  public RunOptions(Duration timeLimit, boolean warmUp, int maxRuns, Duration measureFor) {
    this(timeLimit, warmUp, maxRuns, measureFor, Math.min(DEFAULT_MIN_RUNS, Math.max(1, maxRuns)));
  }

  /** One measured run per implementation. */
  public RunOptions(Duration timeLimit, boolean warmUp) {
    this(timeLimit, warmUp, 1, Duration.ZERO, 1);
  }

  public static RunOptions defaults() {
    return new RunOptions(
        DEFAULT_TIME_LIMIT, true, DEFAULT_MAX_RUNS, DEFAULT_MEASURE_FOR, DEFAULT_MIN_RUNS);
  }
}
