package org.clusterpool.coordinator.testtasks;

import org.clusterpool.node.task.LongTask;
import org.clusterpool.node.task.TaskContext;

/**
 * A test task that fails every input with the largest error a task can make: a long message, thrown
 * from deep in a recursion, so that a chunk of its errors is several times Artery's frame unless
 * the worker budgets them.
 */
public final class FailLoudly implements LongTask {
  @Override
  public String name() {
    return "test-fail-loudly";
  }

  @Override
  public String description() {
    return "test only: fails every input with a long message and a deep stack";
  }

  @Override
  public long applyAsLong(long x, TaskContext context) {
    return dive(x, 60);
  }

  private static long dive(long x, int depth) {
    if (depth == 0)
      throw new IllegalStateException("input " + x + " failed loudly: " + "€".repeat(1900));
    return dive(x, depth - 1) + 1;
  }
}
