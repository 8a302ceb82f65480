package org.clusterpool.coordinator.testtasks;

import java.util.concurrent.atomic.AtomicLong;
import org.clusterpool.node.task.LongTask;
import org.clusterpool.node.task.TaskContext;

/**
 * A test task: {@code x * x}, counting the inputs it is asked to validate in this JVM, so that a
 * test can prove that a job was refused before its inputs were expanded or checked. Catalogued only
 * on the test class path.
 */
public final class CountedSquare implements LongTask {
  public static final AtomicLong VALIDATED = new AtomicLong();

  @Override
  public String name() {
    return "test-counted-square";
  }

  @Override
  public String description() {
    return "test only: x * x, counting the inputs validated";
  }

  @Override
  public void validate(Long input) {
    VALIDATED.incrementAndGet();
  }

  @Override
  public long applyAsLong(long x, TaskContext context) {
    return x * x;
  }
}
