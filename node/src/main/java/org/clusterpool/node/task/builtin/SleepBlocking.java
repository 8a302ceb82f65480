package org.clusterpool.node.task.builtin;

import org.clusterpool.node.task.CpuTask;
import org.clusterpool.node.task.TaskContext;
import org.clusterpool.node.task.ValueType;
import org.clusterpool.node.task.ValueTypes;

/**
 * {@code time.sleep(seconds)}: waits while holding its worker's thread, so the worker does nothing
 * else meanwhile.
 */
public final class SleepBlocking implements CpuTask<Double, Double> {
  @Override
  public String name() {
    return "sleep-blocking";
  }

  @Override
  public String description() {
    return "waits the given seconds holding a worker thread (time.sleep); returns the seconds";
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
  public void validate(Double seconds) {
    Sleep.checkSeconds(name(), seconds);
  }

  @Override
  public Double apply(Double seconds, TaskContext context) throws InterruptedException {
    validate(seconds);
    long deadline = System.nanoTime() + (long) (seconds * 1e9);
    // sleeps in slices so that a cancelled job frees the thread soon
    for (long left = deadline - System.nanoTime(); left > 0; left = deadline - System.nanoTime()) {
      if (context.isCancelled()) break;
      long slice = Math.min(left, 50_000_000L);
      Thread.sleep(slice / 1_000_000L, (int) (slice % 1_000_000L));
    }
    return seconds;
  }
}
