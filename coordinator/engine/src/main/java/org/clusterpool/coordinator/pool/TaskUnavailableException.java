package org.clusterpool.coordinator.pool;

import java.util.concurrent.RejectedExecutionException;

/**
 * The pool cannot run the task, and refused the job before any of it ran, as an {@code
 * ExecutorService} rejects what it cannot execute: no worker node has the task at the version given
 * (the message names the task and what each node has), or the task is made from a function and the
 * pool's workers are in other JVMs, where a function never goes.
 */
public final class TaskUnavailableException extends RejectedExecutionException {
  public TaskUnavailableException(String message) {
    super(message);
  }
}
