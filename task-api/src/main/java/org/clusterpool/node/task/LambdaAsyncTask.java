package org.clusterpool.node.task;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;

/**
 * An async task made from a function by {@link Task#async}: the function returns at once with a
 * {@code CompletionStage}, and the worker holds no thread while it waits.
 */
public final class LambdaAsyncTask<I, O> extends LambdaTask<I, O> implements AsyncTask<I, O> {

  /** The work of an async task: one input in, a stage of its output out. */
  @FunctionalInterface
  public interface Function<I, O> {
    CompletionStage<O> apply(I input) throws Exception;
  }

  private final Function<? super I, O> function;

  LambdaAsyncTask(
      String name,
      ValueType<I> input,
      ValueType<O> output,
      Function<? super I, O> function,
      String description,
      Predicate<? super I> accepted,
      String acceptedText) {
    super(name, input, output, description, accepted, acceptedText);
    this.function = Objects.requireNonNull(function, "the function of task '" + name + "'");
  }

  /** The same task with this description (what {@code tasks} and errors show). */
  public LambdaAsyncTask<I, O> describedAs(String description) {
    return new LambdaAsyncTask<>(
        name, input, output, function, description, accepted, acceptedText);
  }

  /** As {@link LambdaCpuTask#accepting}: inputs the check refuses fail before any work starts. */
  public LambdaAsyncTask<I, O> accepting(Predicate<? super I> accepted, String what) {
    Objects.requireNonNull(accepted, "the input check of task '" + name + "'");
    return new LambdaAsyncTask<>(
        name, input, output, function, description, accepted, checkedAccepted(what));
  }

  /** A function that throws, or gives no stage, fails that input as a stage that failed would. */
  @Override
  public CompletionStage<O> apply(I value, TaskContext context) {
    try {
      CompletionStage<O> stage = function.apply(value);
      if (stage == null) {
        return CompletableFuture.failedFuture(
            new IllegalStateException("task '" + name + "' returned no CompletionStage"));
      }
      return stage;
    } catch (Exception e) {
      return CompletableFuture.failedFuture(e);
    }
  }
}
