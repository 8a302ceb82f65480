package org.clusterpool.coordinator.testtasks;

import org.clusterpool.node.task.LongTask;
import org.clusterpool.node.task.TaskContext;

/**
 * A test task: returns its input, and on 0 calls {@code System.exit(0)}, as a user's task might:
 * its JVM's shutdown hooks run, and the node leaves as if on purpose. Catalogued only on the test
 * class path.
 */
public final class ExitAt implements LongTask {
  @Override
  public String name() {
    return "test-exit-at";
  }

  @Override
  public String description() {
    return "test only: x, calling System.exit(0) on 0";
  }

  @Override
  public long applyAsLong(long x, TaskContext context) {
    if (x == 0) System.exit(0);
    return x;
  }
}
