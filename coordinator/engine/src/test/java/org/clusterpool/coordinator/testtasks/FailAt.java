package org.clusterpool.coordinator.testtasks;

import org.clusterpool.node.task.LongTask;
import org.clusterpool.node.task.TaskContext;

/**
 * A test task: returns its input, and fails on multiples of {@value #EVERY}, so that a range ending
 * on one makes a job that holds all its other results when it fails. Catalogued only on the test
 * class path.
 */
public final class FailAt implements LongTask {
  public static final long EVERY = 100_000;

  @Override
  public String name() {
    return "test-fail-at";
  }

  @Override
  public String description() {
    return "test only: x, failing on multiples of " + EVERY;
  }

  @Override
  public long applyAsLong(long x, TaskContext context) {
    if (x != 0 && x % EVERY == 0)
      throw new IllegalStateException("input " + x + " is a multiple of " + EVERY);
    return x;
  }
}
