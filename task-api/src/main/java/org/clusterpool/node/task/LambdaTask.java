package org.clusterpool.node.task;

import java.util.Objects;
import java.util.function.Predicate;

/**
 * A task made from a function ({@link Task#cpu}, {@link Task#async}): its name, types, description
 * and input check are given, its work is the function. A function object exists in the JVM that
 * made it and nowhere else, so such a task runs only on the workers of that JVM (the embedded
 * pool); a pool whose workers are in other JVMs refuses it before any work starts. For a task every
 * node can run, write a class and give its jar to every node.
 *
 * <p>Each call of {@link #describedAs} or {@link #accepting} makes a new task: a task never changes
 * once made.
 */
public abstract sealed class LambdaTask<I, O> permits LambdaCpuTask, LambdaAsyncTask {
  final String name;
  final ValueType<I> input;
  final ValueType<O> output;
  final String description;
  final Predicate<? super I> accepted;
  final String acceptedText;

  LambdaTask(
      String name,
      ValueType<I> input,
      ValueType<O> output,
      String description,
      Predicate<? super I> accepted,
      String acceptedText) {
    this.name = TaskName.check(name);
    this.input = Objects.requireNonNull(input, "the input type of task '" + name + "'");
    this.output = Objects.requireNonNull(output, "the output type of task '" + name + "'");
    this.description =
        description == null || description.isBlank() ? "a function given in Java" : description;
    this.accepted = accepted;
    this.acceptedText = acceptedText;
  }

  public String name() {
    return name;
  }

  public String description() {
    return description;
  }

  public ValueType<I> inputType() {
    return input;
  }

  public ValueType<O> outputType() {
    return output;
  }

  /** Whether an input check was given: without one, inputs are not walked to be checked. */
  public boolean checksInputs() {
    return accepted != null;
  }

  /**
   * Refuses an input the check does not accept, saying what is: {@code cube: accepted
   * -2097151..2097151}.
   */
  public void validate(I value) {
    if (accepted != null && !accepted.test(value)) {
      throw new IllegalArgumentException(name + ": accepted " + acceptedText);
    }
  }

  static String checkedAccepted(String what) {
    if (what == null || what.isBlank()) {
      throw new IllegalArgumentException(
          "an input check needs the words that say what it accepts, like \"0..50\"");
    }
    return what;
  }

  @Override
  public String toString() {
    return "task '"
        + name
        + "' ("
        + input.name()
        + " -> "
        + output.name()
        + ", made from a function)";
  }
}
