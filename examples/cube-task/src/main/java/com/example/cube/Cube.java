package com.example.cube;

import org.clusterpool.node.task.LongTask;
import org.clusterpool.node.task.TaskContext;

/** x * x * x, for every integer whose cube fits in a long. */
public final class Cube implements LongTask {
  @Override public String name() { return "cube"; }

  @Override public String description() { return "x * x * x"; }

  @Override public void validate(Long x) { // refused before any work starts, saying what is accepted
    if (Math.abs(x) > 2_097_151) throw new IllegalArgumentException("cube: accepted -2097151..2097151");
  }

  @Override public long applyAsLong(long x, TaskContext context) { return x * x * x; }
}
