package org.clusterpool.coordinator.testtasks;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.clusterpool.node.task.AsyncTask;
import org.clusterpool.node.task.TaskContext;
import org.clusterpool.node.task.ValueType;
import org.clusterpool.node.task.ValueTypes;

/**
 * A test task: returns its input at once, but its call on 1 never ends (a {@code CompletionStage}
 * nobody completes), and the test sees how often that call started. Catalogued only on the test
 * class path.
 */
public final class NeverOnOne implements AsyncTask<Long, Long> {
  public static final AtomicInteger STARTS_ON_ONE = new AtomicInteger();

  @Override
  public String name() {
    return "test-never-on-one";
  }

  @Override
  public String description() {
    return "test only: x at once; the call on 1 never ends";
  }

  @Override
  public ValueType<Long> inputType() {
    return ValueTypes.LONG;
  }

  @Override
  public ValueType<Long> outputType() {
    return ValueTypes.LONG;
  }

  @Override
  public CompletionStage<Long> apply(Long x, TaskContext context) {
    if (x == 1) {
      STARTS_ON_ONE.incrementAndGet();
      return new CompletableFuture<>();
    }
    return CompletableFuture.completedFuture(x);
  }
}
