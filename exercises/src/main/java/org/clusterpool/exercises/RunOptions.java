package org.clusterpool.exercises;

import java.time.Duration;

/**
 * How implementations are run.
 *
 * @param timeLimit what one run may take before it is stopped and reported as timed out
 * @param warmUp whether each implementation first runs a smaller problem, unmeasured, so the JIT compiles it
 */
public record RunOptions(Duration timeLimit, boolean warmUp) {

  public static final Duration DEFAULT_TIME_LIMIT = Duration.ofSeconds(20);

  public static RunOptions defaults() {
    return new RunOptions(DEFAULT_TIME_LIMIT, true);
  }
}
