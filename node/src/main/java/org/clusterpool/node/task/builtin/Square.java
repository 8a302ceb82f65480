package org.clusterpool.node.task.builtin;

import org.clusterpool.node.task.LongTask;
import org.clusterpool.node.task.TaskContext;

/** The course's {@code carre(x)}: {@code x * x}. Fails on overflow instead of wrapping around. */
public final class Square implements LongTask {
  @Override
  public String name() {
    return "square";
  }

  @Override
  public String description() {
    return "x * x (the course's carre); fails with 'long overflow' past 3037000499";
  }

  @Override
  public long applyAsLong(long x, TaskContext context) {
    return Math.multiplyExact(x, x);
  }
}
