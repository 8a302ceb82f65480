package org.clusterpool.node.task;

import java.util.Objects;
import java.util.function.Predicate;

/**
 * A cpu task made from a function by {@link Task#cpu}: it runs on a worker's thread, one input
 * after the other.
 */
public final class LambdaCpuTask<I, O> extends LambdaTask<I, O> implements CpuTask<I, O> {

  /** The work of a cpu task: one input in, one output out. It may throw; only that input fails. */
  @FunctionalInterface
  public interface Function<I, O> {
    O apply(I input) throws Exception;
  }

  private final Function<? super I, ? extends O> function;

  LambdaCpuTask(
      String name,
      ValueType<I> input,
      ValueType<O> output,
      Function<? super I, ? extends O> function,
      String description,
      Predicate<? super I> accepted,
      String acceptedText) {
    super(name, input, output, description, accepted, acceptedText);
    this.function = Objects.requireNonNull(function, "the function of task '" + name + "'");
  }

  /** The same task with this description (what {@code tasks} and errors show). */
  public LambdaCpuTask<I, O> describedAs(String description) {
    return new LambdaCpuTask<>(name, input, output, function, description, accepted, acceptedText);
  }

  /**
   * The same task, refusing before any work starts every input that {@code accepted} does not
   * accept, with a message that says {@code what} is accepted ({@code "-2097151..2097151"}).
   */
  public LambdaCpuTask<I, O> accepting(Predicate<? super I> accepted, String what) {
    Objects.requireNonNull(accepted, "the input check of task '" + name + "'");
    return new LambdaCpuTask<>(
        name, input, output, function, description, accepted, checkedAccepted(what));
  }

  @Override
  public O apply(I value, TaskContext context) throws Exception {
    return function.apply(value);
  }
}
