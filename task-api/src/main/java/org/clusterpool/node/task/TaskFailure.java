package org.clusterpool.node.task;

/** An expected failure of a task: reported with its message, without a stack trace. */
public class TaskFailure extends RuntimeException {
  public TaskFailure(String message) {
    super(message, null, false, false);
  }
}
