package org.clusterpool.coordinator.cli;

/** A user's mistake on the command line: printed as one line, exit code 2, no stack trace. */
public final class UsageError extends RuntimeException {
  public UsageError(String message) {
    super(message, null, false, false);
  }
}
