package org.clusterpool.coordinator.connect;

/**
 * The command could not do its work for a reason outside the command line: a cluster that does not
 * answer, a process that would not stop. Printed as one line, exit code 1, no stack trace.
 */
public final class CommandFailure extends RuntimeException {
  public CommandFailure(String message) {
    super(message, null, false, false);
  }
}
