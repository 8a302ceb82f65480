package org.clusterpool.node.task;

/**
 * A function that workers can run, known by its name. Only tasks a node has in its own catalog run
 * there: a job names its task (and the version it means, by a fingerprint of the task's class or a
 * version the task declares), and every node looks it up in its own catalog, so nothing executable
 * ever travels between JVMs.
 *
 * <p>Implement {@link CpuTask} for work that computes (it runs on a thread of the worker), or
 * {@link AsyncTask} for work that mostly waits (it returns a {@code CompletionStage} and holds no
 * thread while it waits). List the class in {@code
 * META-INF/services/org.clusterpool.node.task.Task} of a jar, and give that jar to every node
 * ({@code --tasks}). In a pool of this JVM's own workers, any task object runs, and {@link #cpu}
 * and {@link #async} make one from a function.
 *
 * @param <I> the input type
 * @param <O> the output type
 */
public sealed interface Task<I, O> permits CpuTask, AsyncTask {

  /** The name users type: lower case, words joined by {@code -}. */
  String name();

  /** One line: what the task computes. */
  String description();

  ValueType<I> inputType();

  ValueType<O> outputType();

  /**
   * Rejects an input before any work starts. Throw {@link IllegalArgumentException} with a message
   * that says what is accepted ({@code "accepted: 0..50"}).
   */
  default void validate(I input) {}

  /**
   * The version of the task, if it declares one: nodes whose tasks of one name declare the same
   * version count as running the same task. Without one (the default, empty), the task's version is
   * a fingerprint of its class's bytes, so that any change of the code makes another version.
   * Declare one to say that two builds compute the same.
   */
  default String version() {
    return "";
  }

  /**
   * Whether this task checks its inputs at all: a million inputs need not be walked to learn that
   * they need no check.
   */
  static boolean validates(Task<?, ?> task) {
    if (task instanceof LambdaTask<?, ?> lambda) return lambda.checksInputs();
    return Validating.CLASSES.get(task.getClass());
  }

  /**
   * A cpu task made from a function, for a pool of this JVM's workers (the embedded pool): {@code
   * Task.cpu("cube", ValueTypes.LONG, ValueTypes.LONG, x -> x * x * x)}. Its inputs and outputs are
   * typed, read and printed by the value types; {@link LambdaCpuTask#accepting} adds an input
   * check. A function does not leave its JVM: a pool whose workers are in other JVMs refuses the
   * task before any work starts.
   */
  static <I, O> LambdaCpuTask<I, O> cpu(
      String name,
      ValueType<I> input,
      ValueType<O> output,
      LambdaCpuTask.Function<? super I, ? extends O> function) {
    return new LambdaCpuTask<>(name, input, output, function, null, null, null);
  }

  /**
   * An async task made from a function that returns a {@code CompletionStage}: {@code
   * Task.async("later", ValueTypes.LONG, ValueTypes.LONG, x -> CompletableFuture.supplyAsync(() ->
   * x + 1))}. As {@link #cpu}, it runs only on this JVM's workers.
   */
  static <I, O> LambdaAsyncTask<I, O> async(
      String name,
      ValueType<I> input,
      ValueType<O> output,
      LambdaAsyncTask.Function<? super I, O> function) {
    return new LambdaAsyncTask<>(name, input, output, function, null, null, null);
  }

  default TaskKind kind() {
    return this instanceof AsyncTask ? TaskKind.ASYNC : TaskKind.CPU;
  }
}
