package org.clusterpool.node.task;

/**
 * A function that workers can run, known by its name. Only tasks in the {@link TaskCatalog} run: a
 * job names its task, and every node looks the name up in its own catalog, so nothing executable ever
 * travels between JVMs.
 *
 * <p>Implement {@link CpuTask} for work that computes (it runs on a thread of the worker), or
 * {@link AsyncTask} for work that mostly waits (it returns a {@code CompletionStage} and holds no
 * thread while it waits). Register the class in {@code META-INF/services/org.clusterpool.node.task.Task}.
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
   * Rejects an input before any work starts. Throw {@link IllegalArgumentException} with a message that
   * says what is accepted ({@code "accepted: 0..50"}).
   */
  default void validate(I input) {}

  /** Whether this task checks its inputs at all: a million inputs need not be walked to learn that they need no check. */
  static boolean validates(Task<?, ?> task) {
    return Validating.CLASSES.get(task.getClass());
  }

  default TaskKind kind() {
    return this instanceof AsyncTask ? TaskKind.ASYNC : TaskKind.CPU;
  }
}
