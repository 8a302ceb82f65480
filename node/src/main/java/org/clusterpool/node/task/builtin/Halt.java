package org.clusterpool.node.task.builtin;

import org.clusterpool.node.task.LongTask;
import org.clusterpool.node.task.TaskContext;
import org.clusterpool.node.task.TaskFailure;

/**
 * Returns its input, except 0, which ends the worker's JVM on the spot ({@code Runtime.halt}): a
 * task that crashes its process, for the fault demos. The coordinator finds the input that kills
 * and fails it after {@code clusterpool.chunk.max-crashes} workers; the rest of the job completes.
 * It refuses to end a JVM that also runs the coordinator (the embedded mode).
 */
public final class Halt implements LongTask {
  @Override
  public String name() {
    return "halt";
  }

  @Override
  public String description() {
    return "returns n, except 0, which ends its worker's JVM at once (fault demos; needs worker"
        + " JVMs)";
  }

  @Override
  public long applyAsLong(long n, TaskContext context) {
    if (n != 0) return n;
    if (context.hostsCoordinator()) {
      throw new TaskFailure(
          "halt will not end the JVM that runs the coordinator: run it on worker JVMs (--nodes N or"
              + " --connect)");
    }
    Runtime.getRuntime().halt(137);
    return n; // not reached
  }
}
