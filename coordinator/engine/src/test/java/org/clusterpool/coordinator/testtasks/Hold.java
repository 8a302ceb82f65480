package org.clusterpool.coordinator.testtasks;

import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.clusterpool.node.task.AsyncTask;
import org.clusterpool.node.task.TaskContext;
import org.clusterpool.node.task.ValueType;
import org.clusterpool.node.task.ValueTypes;

/**
 * A test task: waits like {@code sleep}, and lets the test see its waits (cancelled or not) and how
 * many ran at once. Catalogued only on the test class path.
 */
public final class Hold implements AsyncTask<Double, Double> {
  public static final Queue<CompletableFuture<Void>> WAITS = new ConcurrentLinkedQueue<>();
  public static final AtomicInteger RUNNING = new AtomicInteger();
  public static final AtomicInteger MOST_AT_ONCE = new AtomicInteger();
  public static final AtomicInteger FINISHED = new AtomicInteger();

  public static void reset() {
    WAITS.clear();
    RUNNING.set(0);
    MOST_AT_ONCE.set(0);
    FINISHED.set(0);
  }

  @Override
  public String name() {
    return "test-hold";
  }

  @Override
  public String description() {
    return "test only: waits, and shows its waits to the test";
  }

  @Override
  public ValueType<Double> inputType() {
    return ValueTypes.DOUBLE;
  }

  @Override
  public ValueType<Double> outputType() {
    return ValueTypes.DOUBLE;
  }

  @Override
  public CompletionStage<Double> apply(Double seconds, TaskContext context) {
    MOST_AT_ONCE.accumulateAndGet(RUNNING.incrementAndGet(), Math::max);
    CompletableFuture<Void> wait = context.sleep(Duration.ofNanos((long) (seconds * 1e9)));
    WAITS.add(wait);
    return wait.whenComplete(
            (done, error) -> {
              RUNNING.decrementAndGet();
              if (error == null) FINISHED.incrementAndGet();
            })
        .thenApply(done -> seconds);
  }
}
