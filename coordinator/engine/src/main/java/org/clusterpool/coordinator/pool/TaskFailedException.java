package org.clusterpool.coordinator.pool;

import java.util.List;
import org.clusterpool.coordinator.input.Echo;
import org.clusterpool.node.wire.RemoteError;

/**
 * A task failed on one input. Names the task, the input and its position, and carries the worker's
 * error: its type, message and stack, as text, since the exception object stayed on the worker.
 */
public final class TaskFailedException extends RuntimeException {
  private final String task;
  private final long position;
  private final String input;
  private final RemoteError error;

  public TaskFailedException(String task, long position, String input, RemoteError error) {
    // one line whatever the input and the task's message hold: both escaped, the input cut short
    // (the whole input stays in input())
    super(
        "task '"
            + task
            + "' failed on input "
            + Echo.cut(input)
            + " (position "
            + position
            + "): "
            + Echo.line(
                error.summary() + (error.where().isEmpty() ? "" : " [" + error.where() + "]")));
    this.task = task;
    this.position = position;
    this.input = input;
    this.error = error;
  }

  public String task() {
    return task;
  }

  /** The input's position in the job, from 0. */
  public long position() {
    return position;
  }

  /** The input, as text. */
  public String input() {
    return input;
  }

  public RemoteError remoteError() {
    return error;
  }

  /** The worker's stack trace, one frame a line. */
  public List<String> remoteStack() {
    return error.stack();
  }
}
