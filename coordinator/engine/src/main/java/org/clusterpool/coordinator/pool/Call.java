package org.clusterpool.coordinator.pool;

import java.util.Objects;
import org.clusterpool.node.task.Task;

/**
 * One call to gather: a task and its input, like a coroutine object {@code task(1, 2)} before it is
 * awaited. Typed by the task's output, so that {@link Gathered#get(Call)} needs no cast.
 */
public final class Call<O> {
  private final Task<?, O> task;
  private final Object input;
  private final String label;

  private Call(Task<?, O> task, Object input, String label) {
    this.task = Objects.requireNonNull(task, "task");
    this.input = Objects.requireNonNull(input, "input");
    this.label = label;
  }

  public static <I, O> Call<O> of(Task<I, O> task, I input) {
    return new Call<>(task, input, task.name() + ":" + task.inputType().format(input));
  }

  /**
   * The same call, shown as {@code label} (the command line keeps what the user typed: {@code
   * sleep:2}).
   */
  public Call<O> labelled(String label) {
    return new Call<>(task, input, Objects.requireNonNull(label, "label"));
  }

  public Task<?, O> task() {
    return task;
  }

  Object input() {
    return input;
  }

  /** {@code sleep:2.0}: the task and the input, as the command line writes a call. */
  @Override
  public String toString() {
    return label;
  }
}
