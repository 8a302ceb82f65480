package org.clusterpool.node.catalog;

/**
 * A job for a task that {@code clusterpool.tasks.allowed} leaves out, refused before any of it
 * runs: by the HTTP API (403), by the pool that would send it, and by the coordinator, whoever
 * sends it. The message is one line.
 */
public final class TaskNotAllowedException extends IllegalArgumentException {
  public TaskNotAllowedException(String message) {
    super(message);
  }
}
