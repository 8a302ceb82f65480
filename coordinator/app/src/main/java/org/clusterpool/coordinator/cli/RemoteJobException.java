package org.clusterpool.coordinator.cli;

/**
 * What ended a job that ran through the HTTP API, when it is not a task's failure (those come back
 * as {@code TaskFailedException}): a timeout, a task group, a lost coordinator. {@link
 * #getMessage()} is the original exception's message, {@link #summary()} the line the command line
 * prints for it, as it would for the same failure in this JVM.
 */
final class RemoteJobException extends RuntimeException {
  private final String kind;
  private final String summary;

  RemoteJobException(String kind, String message, String summary) {
    super(message, null, false, false);
    this.kind = kind;
    this.summary = summary;
  }

  /**
   * The original exception's simple name: {@code CallTimeoutException}, {@code
   * CoordinatorLostException}...
   */
  String kind() {
    return kind;
  }

  String summary() {
    return summary;
  }

  /**
   * A refused job (an unknown task at the coordinator, a task no worker node has) is the command
   * line's mistake, as it would be here: nothing of it ran.
   */
  boolean isUsageError() {
    return kind.equals("IllegalArgumentException") || kind.equals("TaskUnavailableException");
  }
}
