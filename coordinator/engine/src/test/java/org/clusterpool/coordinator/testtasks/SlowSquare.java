package org.clusterpool.coordinator.testtasks;

import org.clusterpool.node.task.LongTask;
import org.clusterpool.node.task.TaskContext;

/**
 * A test task: {@code x * x} after a short nap, so that a job lasts long enough to break a node in
 * its middle, while every result stays checkable. Catalogued only on the test class path, which the
 * worker JVMs of the tests share.
 */
public final class SlowSquare implements LongTask {
  public static final long NAP_MILLIS = 20;

  @Override
  public String name() {
    return "test-slow-square";
  }

  @Override
  public String description() {
    return "test only: x * x after " + NAP_MILLIS + " ms";
  }

  @Override
  public long applyAsLong(long x, TaskContext context) throws InterruptedException {
    Thread.sleep(NAP_MILLIS);
    return x * x;
  }
}
