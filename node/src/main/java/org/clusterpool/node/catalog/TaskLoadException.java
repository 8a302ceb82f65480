package org.clusterpool.node.catalog;

/**
 * Tasks that cannot be loaded: a path that does not exist, a jar without a task, a task class that
 * fails to load, two tasks of one name. One line that names what is wrong and where; a user's
 * mistake, so no stack trace.
 */
public final class TaskLoadException extends IllegalArgumentException {
  public TaskLoadException(String message) {
    super(message);
  }

  @Override
  public synchronized Throwable fillInStackTrace() {
    return this;
  }
}
