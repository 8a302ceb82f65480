package org.clusterpool.node.task.builtin;

import org.clusterpool.node.task.CpuTask;
import org.clusterpool.node.task.TaskContext;
import org.clusterpool.node.task.TaskFailure;
import org.clusterpool.node.task.ValueType;
import org.clusterpool.node.task.ValueTypes;

/**
 * Always fails with the given message: shows how a task's error travels back, and that the worker
 * goes on.
 */
public final class Fail implements CpuTask<String, String> {
  @Override
  public String name() {
    return "fail";
  }

  @Override
  public String description() {
    return "always fails with the given message (for error demos)";
  }

  @Override
  public ValueType<String> inputType() {
    return ValueTypes.TEXT;
  }

  @Override
  public ValueType<String> outputType() {
    return ValueTypes.TEXT;
  }

  @Override
  public String apply(String message, TaskContext context) {
    throw new TaskFailure(message);
  }
}
